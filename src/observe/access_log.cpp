#include "observe/access_log.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <mutex>

namespace cozeauth::observe {

void AccessLog::Write(const RequestRecord& e) {
  using namespace std::chrono;
  boost::json::object o;
  o["ts"] = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  o["logid"] = e.logid;
  o["method"] = e.method;
  o["route"] = e.route;
  o["status"] = e.status;
  o["code"] = e.code;
  o["latency_us"] = e.latency_us;
  o["credential"] = e.credential;
  if (!e.token_id.empty()) o["token_id"] = e.token_id;  // an id, never the token
  std::string line = boost::json::serialize(o);
  line += '\n';
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace cozeauth::observe
