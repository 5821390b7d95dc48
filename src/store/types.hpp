#pragma once
// Value types shared by several store interfaces: a page request and a page of results. Plain
// data; no thread-safety concerns of their own.

#include <cstdint>
#include <vector>

namespace cozeauth::store {

struct Page {
  int page_num = 1;  // 1-based
  int page_size = 20;
};

template <typename T>
struct Paged {
  std::vector<T> items;
  int64_t total = 0;
  bool has_more = false;
};

}  // namespace cozeauth::store
