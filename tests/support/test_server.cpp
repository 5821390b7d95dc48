#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace cozeauth::it {
namespace {

std::filesystem::path MakeTempDir() {
  std::string base = std::filesystem::temp_directory_path() / "cozeauth-it-XXXXXX";
  if (mkdtemp(base.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + base);
  return base;
}

}  // namespace

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TestServer::TestServer(TestServerOptions options) : options_(std::move(options)) {
  dir_ = MakeTempDir();
  db_file_ = options_.db_file;
  std::filesystem::create_directories(data_dir());
  Launch();
}

void TestServer::Launch() {
  std::vector<std::string> argv{CozeauthBinary(), "serve",  "--listen",   "127.0.0.1:0",
                                "--db",           db_url(), "--data-dir", data_dir().string(),
                                "--access-log",   "true"};
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  EnvVars env{{"COZEAUTH_ADMIN_EMAIL", kAdminEmail}, {"COZEAUTH_ADMIN_PASSWORD", kAdminPassword}};
  env.insert(env.end(), options_.extra_env.begin(), options_.extra_env.end());
  // The log files are appended to: after a restart, only what follows this offset is new.
  const size_t stderr_offset = Stderr().size();
  exit_code_.reset();
  port_ = 0;
  pid_ = SpawnProcess(argv, env, access_log_path(), stderr_path());

  // The port must be followed by another character: the file may be read mid-write.
  static const std::regex kListening(R"(cozeauth: listening on http://127\.0\.0\.1:(\d+)[ \n])");
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  for (;;) {
    std::smatch m;
    const std::string all = Stderr();
    const std::string err = all.size() > stderr_offset ? all.substr(stderr_offset) : "";
    if (std::regex_search(err, m, kListening)) {
      port_ = static_cast<uint16_t>(std::stoi(m[1].str()));
      break;
    }
    if (auto status = PollProcess(pid_)) {
      exit_code_ = status;
      throw std::runtime_error("cozeauth serve exited with " + std::to_string(*status) +
                               " before listening; stderr:\n" + err);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      Stop(std::chrono::seconds(2));
      throw std::runtime_error("cozeauth serve did not print its listening line within " +
                               std::to_string(options_.start_timeout.count()) + " ms; stderr:\n" +
                               Stderr());
    }
    // Polls for the listening line (an event), not a fixed delay.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void TestServer::Restart() {
  if (const int code = Stop(); code != 0) {
    throw std::runtime_error("cozeauth serve did not shut down gracefully on restart: exit " +
                             std::to_string(code) + "; stderr:\n" + Stderr());
  }
  Launch();
}

TestServer::~TestServer() {
  const bool was_running = !exit_code_.has_value();
  int code = Stop();
  if (was_running && code != 0) {
    ADD_FAILURE() << "cozeauth serve did not shut down gracefully: exit status " << code
                  << "\nstderr:\n"
                  << Stderr();
  }
  if (std::getenv("COZEAUTH_KEEP_TEST_DIRS") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  } else {
    std::fprintf(stderr, "kept test directory %s\n", dir_.c_str());
  }
}

int64_t TestServer::Metric(std::string_view series) const {
  const std::string body = Http().Get("/metrics").body;
  const std::string line = "\n" + std::string(series) + " ";
  const size_t at = body.find(line);
  if (at == std::string::npos) {
    throw std::runtime_error("no " + std::string(series) + " in /metrics: " + body);
  }
  return std::stoll(body.substr(at + line.size()));
}

std::string TestServer::Stderr() const { return ReadFile(stderr_path()); }

std::vector<std::string> TestServer::AccessLogLines() const {
  std::vector<std::string> lines;
  std::istringstream in(ReadFile(access_log_path()));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

bool TestServer::running() {
  if (exit_code_) return false;
  if (auto s = PollProcess(pid_)) {
    exit_code_ = s;
    return false;
  }
  return true;
}

int TestServer::Stop(std::chrono::milliseconds timeout) {
  if (exit_code_) return *exit_code_;
  if (pid_ <= 0) return -1;
  if (auto s = PollProcess(pid_)) {
    exit_code_ = s;
    return *s;
  }
  kill(pid_, SIGTERM);
  if (auto s = WaitProcess(pid_, timeout)) {
    exit_code_ = s;
    return *s;
  }
  kill(pid_, SIGKILL);
  WaitProcess(pid_, std::chrono::seconds(5));
  exit_code_ = -1;
  return -1;
}

}  // namespace cozeauth::it
