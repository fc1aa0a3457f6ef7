#include "redwire/test/server_log_journal.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace redwire::test {

std::string read_file_tail(const std::filesystem::path& file, std::size_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::ostringstream all;
  all << in.rdbuf();
  std::string text = std::move(all).str();
  if (text.size() <= max_bytes) return text;
  std::size_t start = text.size() - max_bytes;
  if (const std::size_t nl = text.find('\n', start); nl != std::string::npos) start = nl + 1;
  return "[... " + std::to_string(start) + " bytes cut ...]\n" + text.substr(start);
}

ServerLogJournal& ServerLogJournal::instance() {
  static ServerLogJournal journal;
  return journal;
}

void ServerLogJournal::begin_section() {
  std::lock_guard lock(mutex_);
  ++section_;
  std::erase_if(entries_, [](const Entry& e) { return e.finished; });
}

std::vector<ServerLog> ServerLogJournal::section_logs(std::size_t max_bytes) const {
  std::vector<ServerLog> logs;
  std::lock_guard lock(mutex_);
  for (const Entry& e : entries_) {
    if (e.section != section_) continue;
    std::string text = e.finished ? e.final_text : read_file_tail(e.log_file, max_bytes);
    if (text.size() > max_bytes) text = text.substr(text.size() - max_bytes);
    logs.push_back({e.name, std::move(text)});
  }
  return logs;
}

std::uint64_t ServerLogJournal::add(std::string name, std::filesystem::path log_file) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  entries_.push_back({id, section_, std::move(name), std::move(log_file), {}, false});
  return id;
}

void ServerLogJournal::rename(std::uint64_t id, std::string name) {
  std::lock_guard lock(mutex_);
  for (Entry& e : entries_) {
    if (e.id == id) e.name = std::move(name);
  }
}

void ServerLogJournal::finish(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  for (Entry& e : entries_) {
    if (e.id != id || e.finished) continue;
    e.final_text = read_file_tail(e.log_file, 64 * 1024);
    e.finished = true;
  }
  // Entries of earlier sections are never printed again once their server is gone.
  std::erase_if(entries_, [this](const Entry& e) { return e.finished && e.section != section_; });
}

}  // namespace redwire::test
