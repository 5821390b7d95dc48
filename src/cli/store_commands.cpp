// `cozeauth store copy --from URL --to URL`: moves an installation from one store to another in
// any direction (sqlite ↔ postgresql, sqlite → sqlite). What it copies, what it refuses and how
// it checks are store::CopyStore's (store/copy_store.hpp); this file only prints. The whole
// copy is one transaction on the target: a copy that fails or is killed halfway leaves the
// target empty, and running the same command again completes it.

#include <cstdio>
#include <memory>
#include <string>

#include "cli/admin_print.hpp"
#include "cli/cli.hpp"
#include "store/copy_store.hpp"

namespace cozeauth::cli {
namespace {

struct CopyOptions {
  std::string from;
  std::string to;
};

boost::json::object ReportJson(const store::CopyReport& r) {
  boost::json::array tables;
  for (const auto& t : r.tables) {
    tables.push_back(boost::json::object{{"table", t.table},
                                         {"source_rows", t.source_rows},
                                         {"target_rows", t.target_rows},
                                         {"source_checksum", t.source_checksum},
                                         {"target_checksum", t.target_checksum},
                                         {"matches", t.matches}});
  }
  return boost::json::object{
      {"from", r.from}, {"to", r.to}, {"matches", r.matches}, {"tables", std::move(tables)}};
}

void PrintReport(const store::CopyReport& r) {
  std::printf("copied %s -> %s (one transaction)\n", r.from.c_str(), r.to.c_str());
  std::vector<std::vector<std::string>> rows;
  // The first 16 hex digits of each checksum; --json prints them whole.
  for (const auto& t : r.tables) {
    rows.push_back({t.table, std::to_string(t.source_rows), std::to_string(t.target_rows),
                    t.source_checksum.substr(0, 16), t.target_checksum.substr(0, 16),
                    t.matches ? "ok" : "DIFFERS"});
  }
  PrintTable({"TABLE", "SOURCE ROWS", "TARGET ROWS", "SOURCE SUM", "TARGET SUM", "CHECK"}, rows);
  if (r.matches) {
    std::printf("all %zu tables match (meta: epochs raised on the target, keys compared)\n",
                r.tables.size());
  }
}

void RunCopy(const CopyOptions& o, Cli& cli) {
  auto report = store::CopyStore(o.from, o.to);
  if (!report) return cli.Fail(report.error());
  if (cli.json) {
    PrintJson(ReportJson(*report));
  } else {
    PrintReport(*report);
  }
  if (!report->matches) {
    std::string tables;
    for (const auto& t : report->tables) {
      if (!t.matches) tables += (tables.empty() ? "" : ", ") + t.table;
    }
    cli.Fail(Error::Make(Errc::kInternal, "the copy was committed but its check failed for: " +
                                              tables + " (row counts or checksums differ)"));
  }
}

}  // namespace

void SetupStoreCommands(CLI::App& app, Cli& cli) {
  CLI::App* group = app.add_subcommand("store", "Operations on a whole store (database)");
  group->require_subcommand(1);
  auto o = std::make_shared<CopyOptions>();
  CLI::App* copy = group->add_subcommand(
      "copy",
      "Copy every table of one store into another, empty one (sqlite <-> postgresql), then "
      "compare row counts and checksums per table. One transaction on the target: a copy that "
      "fails halfway leaves the target empty, and re-running it completes it. Refuses a target "
      "that already holds data.");
  copy->add_option("--from", o->from, "Source store URL (sqlite:PATH or postgresql://…)")
      ->required();
  copy->add_option("--to", o->to, "Target store URL; must be empty (its schema is applied)")
      ->required();
  copy->add_flag("--json", cli.json, "Print JSON");
  copy->callback([o, &cli] { RunCopy(*o, cli); });
}

}  // namespace cozeauth::cli
