// Opening runs (the session, its error dialog and recent files), the scenario browser's list,
// the file dialog's model and the exports.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gui/core/exports.h"
#include "gui/core/file_browser.h"
#include "gui/core/recent_files.h"
#include "gui/core/scenario_source.h"
#include "gui/core/session.h"
#include "gui_fixture.h"
#include "scenario/loader.h"

namespace mailscope::gui {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the system's temporary directory, removed afterwards.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : m_path(fs::temp_directory_path() / ("mailscope-gui-test-" + name)) {
    fs::remove_all(m_path);
    fs::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  const fs::path& path() const { return m_path; }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path p = m_path / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  fs::path m_path;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path scenario_dir() {
  return fs::path(MAILSCOPE_SOURCE_DIR) / "scenarios";
}

// ---- Recent files

TEST(RecentFiles, NewestFirstWithoutDuplicatesAndBounded) {
  RecentFiles r;
  r.add("/a.json");
  r.add("/b.json");
  r.add("/a.json");  // moves to the front, not duplicated
  EXPECT_EQ(r.entries(), (std::vector<std::string>{"/a.json", "/b.json"}));
  r.add("");                                                // ignored
  r.add(std::string(RecentFiles::kPathBytesMax + 1, 'x'));  // ignored: too long
  r.add("/with\nnewline.json");                             // ignored: would break the file
  EXPECT_EQ(r.entries().size(), 2u);
  for (int i = 0; i < 20; ++i)
    r.add("/f" + std::to_string(i) + ".json");
  ASSERT_EQ(r.entries().size(), RecentFiles::kEntriesMax);
  EXPECT_EQ(r.entries().front(), "/f19.json");
  EXPECT_EQ(r.entries().back(), "/f10.json");
  r.remove("/f19.json");
  EXPECT_EQ(r.entries().front(), "/f18.json");
}

TEST(RecentFiles, ParsesADamagedFileIntoAUsableList) {
  struct Case {
    std::string text;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"", {}},                                     // empty
      {"/a\n/b\n", {"/a", "/b"}},                   // normal
      {"/a\r\n/b", {"/a", "/b"}},                   // CRLF, no final newline
      {"\n\n/a\n\n/a\n/b\n", {"/a", "/b"}},         // blank lines, duplicate
      {std::string(5000, 'y') + "\n/c\n", {"/c"}},  // an over-long line
  };
  for (const Case& c : cases)
    EXPECT_EQ(RecentFiles::parse(c.text).entries(), c.expected) << c.text.substr(0, 20);
  std::string many;
  for (int i = 0; i < 30; ++i)
    many += "/p" + std::to_string(i) + "\n";
  EXPECT_EQ(RecentFiles::parse(many).entries().size(), RecentFiles::kEntriesMax);
  RecentFiles r;
  r.add("/x");
  r.add("/y");
  EXPECT_EQ(r.serialize(), "/y\n/x\n");
  EXPECT_EQ(RecentFiles::parse(r.serialize()).entries(), r.entries());
}

TEST(RecentFiles, LivesUnderTheXdgConfigDirectory) {
  EXPECT_EQ(recent_files_path("/cfg", "/home/u"), fs::path("/cfg/mailscope/recent-files"));
  EXPECT_EQ(recent_files_path(nullptr, "/home/u"),
            fs::path("/home/u/.config/mailscope/recent-files"));
  // A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
  EXPECT_EQ(recent_files_path("relative", "/home/u"),
            fs::path("/home/u/.config/mailscope/recent-files"));
  EXPECT_EQ(recent_files_path(nullptr, nullptr), std::nullopt);
  EXPECT_EQ(recent_files_path("", ""), std::nullopt);
}

TEST(RecentFiles, SavesAndLoadsCreatingTheDirectory) {
  TempDir dir("recent");
  const fs::path file = dir.path() / "config" / "mailscope" / "recent-files";
  auto missing = RecentFiles::load(file);
  ASSERT_TRUE(missing.ok());  // no file yet: an empty list
  EXPECT_TRUE(missing->entries().empty());
  RecentFiles r;
  r.add("/one.json");
  r.add("/two.json");
  ASSERT_FALSE(r.save(file).has_value());
  EXPECT_EQ(read_file(file), "/two.json\n/one.json\n");
  auto loaded = RecentFiles::load(file);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->entries(), r.entries());
}

// ---- Scenario browser

TEST(ScenarioBrowser, ListsTheBuiltInDemosThenTheBundledLessons) {
  const Catalog catalog = load_catalog(scenario_dir());
  ASSERT_GE(catalog.entries.size(), 4u);
  EXPECT_EQ(catalog.entries[0].spec, "demo");
  EXPECT_EQ(catalog.entries[1].spec, "demo-same-domain");
  EXPECT_EQ(catalog.entries[0].origin, CatalogEntry::Origin::BuiltIn);
  // Every bundled lesson, with its title and level, as the loader lists them.
  const auto bundled = scenario::list_bundled(scenario_dir());
  ASSERT_EQ(catalog.entries.size(), bundled.scenarios.size() + 2);
  for (std::size_t i = 0; i < bundled.scenarios.size(); ++i) {
    const CatalogEntry& e = catalog.entries[i + 2];
    EXPECT_EQ(e.spec, bundled.scenarios[i].id);
    EXPECT_EQ(e.title, bundled.scenarios[i].title);
    EXPECT_EQ(e.level, scenario::to_string(bundled.scenarios[i].level));
    EXPECT_FALSE(e.description.empty()) << e.spec;
  }
  auto has = [&](std::string_view id) {
    return std::any_of(catalog.entries.begin(), catalog.entries.end(),
                       [id](const CatalogEntry& e) { return e.spec == id; });
  };
  EXPECT_TRUE(has("cross-domain"));
  EXPECT_TRUE(has("same-domain"));
  EXPECT_TRUE(catalog.broken.empty());
}

TEST(ScenarioBrowser, ShowsBrokenLessonFilesWithTheirPosition) {
  TempDir dir("catalog");
  dir.write("broken.json", "{\n  \"metadata\": [1,\n");
  const Catalog catalog = load_catalog(dir.path());
  EXPECT_EQ(catalog.entries.size(), 2u);  // the built-in demos only
  ASSERT_EQ(catalog.broken.size(), 1u);
  EXPECT_NE(catalog.broken[0].find("broken.json:"), std::string::npos) << catalog.broken[0];
}

// ---- Opening runs, and the error dialog

TEST(Session, OpensTheBuiltInRunsByName) {
  for (const char* spec : {"demo", "demo-same-domain"}) {
    auto source = make_source(spec, scenario_dir(), 1);
    ASSERT_TRUE(source.ok()) << spec;
    Session session;
    ASSERT_TRUE(session.open(**source, spec));
    EXPECT_EQ(session.vm().run().metadata.id, spec);
    EXPECT_FALSE(session.error().has_value());
    EXPECT_TRUE(session.recent().entries().empty());  // not a file
  }
  auto unknown = make_source("no-such-lesson", scenario_dir(), 1);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().where, "no-such-lesson");
}

TEST(Session, ABadScenarioFileOpensTheErrorDialogAndKeepsTheRun) {
  TempDir dir("bad");
  // A JSON syntax error on line 3, column 14.
  const fs::path bad = dir.write("bad.json", "{\n  \"metadata\": {\n    \"id\": \"x\",,\n  }\n}\n");
  Session session;
  DemoRunSource demo(1);
  ASSERT_TRUE(session.open(demo, "demo"));
  const EventId before = session.vm().current_event();
  session.vm().seek_step(10);

  auto source = make_source(bad.string(), scenario_dir(), 1);
  ASSERT_TRUE(source.ok());
  EXPECT_FALSE(session.open(**source, bad.string()));
  ASSERT_TRUE(session.error().has_value());
  const ErrorDialog& e = *session.error();
  EXPECT_EQ(e.title, "Cannot open bad.json");
  ASSERT_FALSE(e.lines.empty());
  EXPECT_TRUE(e.lines[0].starts_with(bad.string() + ":3:")) << e.lines[0];
  EXPECT_NE(e.summary.find("problem"), std::string::npos) << e.summary;
  // What was on screen stays, where it was.
  ASSERT_TRUE(session.has_run());
  EXPECT_EQ(session.vm().run().metadata.id, "demo");
  EXPECT_EQ(session.vm().step(), 10u);
  EXPECT_NE(before, kNoEvent);
  EXPECT_TRUE(session.recent().entries().empty());  // failures are not remembered
  session.dismiss_error();
  EXPECT_FALSE(session.error().has_value());

  // A file that is not there at all is also an error dialog, not a crash.
  auto none = make_source((dir.path() / "none.json").string(), scenario_dir(), 1);
  EXPECT_FALSE(none.ok());
}

TEST(Session, AValidLessonIsCheckedAndReportedWhenThisBuildCannotRunIt) {
  if (scenario_runs_available()) GTEST_SKIP() << "this build runs scenarios";
  const fs::path lesson = scenario_dir() / "same-domain.json";
  ASSERT_TRUE(fs::exists(lesson));
  TempDir dir("recent-open");
  Session session;
  session.set_recent_file(dir.path() / "recent-files");
  auto source = make_source("same-domain", scenario_dir(), 1);
  ASSERT_TRUE(source.ok());
  EXPECT_FALSE(session.open(**source, "same-domain"));
  ASSERT_TRUE(session.error().has_value());
  EXPECT_TRUE(session.error()->lines.empty());  // no problem in the file itself
  EXPECT_NE(session.error()->summary.find("cannot run scenario files yet"), std::string::npos);
}

TEST(Session, CompareModeOpensBesideTheRunAndCloses) {
  Session session;
  DemoRunSource cross(1);
  DemoRunSource same(1, DemoStory::SameDomain);
  EXPECT_FALSE(session.open_compare(same, "demo-same-domain"));  // nothing to compare with yet
  ASSERT_TRUE(session.open(cross, "demo"));
  session.vm().set_filter(Filter::messages_only());
  ASSERT_TRUE(session.open_compare(same, "demo-same-domain"));
  ASSERT_TRUE(session.comparing());
  EXPECT_EQ(session.compare_vm().filter(), Filter::messages_only());
  session.vm().step_phase(Direction::Forward);
  session.tick(0.01);  // the right follows on the next tick
  EXPECT_EQ(session.compare_vm().current_phase(), 1u);
  EXPECT_EQ(session.stats_main().total()[Metric::Servers], 3u);
  EXPECT_EQ(session.stats_compare().total()[Metric::Servers], 2u);
  // Opening another run leaves compare mode.
  DemoRunSource again(2);
  ASSERT_TRUE(session.open(again, "demo"));
  EXPECT_FALSE(session.comparing());
}

// ---- The file dialog's model

TEST(FileBrowser, ListsFoldersThenMatchingFilesAndNavigates) {
  TempDir dir("browse");
  fs::create_directories(dir.path() / "sub");
  fs::create_directories(dir.path() / "a-dir");
  dir.write("b.json", "{}");
  dir.write("a.json", "{}");
  dir.write("notes.txt", "x");
  dir.write(".hidden.json", "{}");
  dir.write("sub/inner.json", "{}");
  FileBrowser browser(dir.path(), ".json");
  ASSERT_TRUE(browser.error().empty()) << browser.error();
  std::vector<std::string> names;
  for (const DirectoryEntry& e : browser.listing().entries)
    names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a-dir", "sub", "a.json", "b.json"}));
  EXPECT_EQ(browser.listing().entries[2].size_bytes, 2u);
  // Choosing a file picks it; choosing a folder goes in.
  EXPECT_TRUE(browser.choose(3));
  EXPECT_EQ(browser.selected_path(), fs::weakly_canonical(dir.path()) / "b.json");
  EXPECT_FALSE(browser.choose(1));
  EXPECT_EQ(browser.listing().directory.filename(), "sub");
  ASSERT_EQ(browser.listing().entries.size(), 1u);
  browser.up();
  EXPECT_EQ(browser.listing().directory, fs::weakly_canonical(dir.path()));
  EXPECT_FALSE(browser.choose(99));  // out of range: nothing happens
  // A folder that does not exist: an error, and the listing stays.
  browser.navigate(dir.path() / "missing");
  EXPECT_FALSE(browser.error().empty());
  EXPECT_EQ(browser.listing().entries.size(), 4u);
  // Every file when no extension is asked for.
  auto all = list_directory(dir.path(), "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->entries.size(), 5u);
}

// ---- Exports

TEST(Exports, WriteEachFormatFromTheTrace) {
  TempDir dir("export");
  const LoadedRun& run = testing::demo_run();
  EXPECT_EQ(default_export_name(ExportKind::Pcap, run.metadata), "demo-capture.pcap");
  EXPECT_EQ(default_export_name(ExportKind::Transcript, RunMetadata{}), "run-transcript.txt");
  EXPECT_EQ(key_log_path("/x/run.pcap"), fs::path("/x/run.keys"));

  auto transcript = export_run(ExportKind::Transcript, run, dir.path() / "t.txt");
  ASSERT_TRUE(transcript.ok()) << transcript.error().what;
  ASSERT_EQ(transcript->size(), 1u);
  const std::string text = read_file(dir.path() / "t.txt");
  EXPECT_NE(text.find("C: EHLO alice-pc"), std::string::npos);
  EXPECT_EQ(text.find("PASS hunter2"), std::string::npos);  // masked by default
  ExportOptions show;
  show.credentials = ExportCredentials::Show;
  ASSERT_TRUE(export_run(ExportKind::Transcript, run, dir.path() / "s.txt", show).ok());
  EXPECT_NE(read_file(dir.path() / "s.txt").find("PASS hunter2"), std::string::npos);

  ASSERT_TRUE(export_run(ExportKind::Pcap, run, dir.path() / "c.pcap").ok());
  const std::string pcap = read_file(dir.path() / "c.pcap");
  ASSERT_GE(pcap.size(), 4u);
  EXPECT_EQ(static_cast<unsigned char>(pcap[0]), 0x4d);  // nanosecond pcap magic, little endian
  EXPECT_FALSE(fs::exists(dir.path() / "c.keys"));       // no TLS, no key log

  ASSERT_TRUE(export_run(ExportKind::SessionJson, run, dir.path() / "s.json").ok());
  EXPECT_EQ(read_file(dir.path() / "s.json").front(), '{');
  ASSERT_TRUE(export_run(ExportKind::HtmlReport, run, dir.path() / "r.html").ok());
  EXPECT_NE(read_file(dir.path() / "r.html").find("<html"), std::string::npos);

  // A run with TLS secrets gets its key log beside the capture.
  DemoRunSource demo(1);
  auto loaded = demo.load();
  ASSERT_TRUE(loaded.ok());
  LoadedRun with_keys = std::move(loaded).value();
  with_keys.key_log = {"CLIENT_RANDOM 00 11"};
  auto both = export_run(ExportKind::Pcap, with_keys, dir.path() / "k.pcap");
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->size(), 2u);
  EXPECT_EQ(read_file(dir.path() / "k.keys"), "CLIENT_RANDOM 00 11\n");

  // Errors are values: a folder that does not exist, a screenshot, no name.
  EXPECT_FALSE(export_run(ExportKind::Transcript, run, dir.path() / "no" / "t.txt").ok());
  EXPECT_FALSE(export_run(ExportKind::Screenshot, run, dir.path() / "x.png").ok());
  EXPECT_FALSE(export_run(ExportKind::HtmlReport, run, fs::path()).ok());
}

}  // namespace
}  // namespace mailscope::gui

namespace mailscope::gui {
namespace {

// The bundled lessons run through the World. Lessons that fetch mail need the mail user agent,
// which the World on main does not have yet; those report it in the error dialog.
TEST(ScenarioRuns, ABundledLessonRunsWithItsDomainsAndNarration) {
  if (!scenario_runs_available()) GTEST_SKIP() << "this build does not run scenarios";
  const std::filesystem::path dir = std::filesystem::path(MAILSCOPE_SOURCE_DIR) / "scenarios";
  Session session;
  auto source = make_source("submission-starttls", dir, 1);
  ASSERT_TRUE(source.ok());
  ASSERT_TRUE(session.open(**source, "submission-starttls"))
      << (session.error() ? session.error()->summary : "");
  ViewModel& vm = session.vm();
  EXPECT_EQ(vm.run().metadata.id, "submission-starttls");
  EXPECT_FALSE(vm.run().metadata.title.empty());
  // Its mail domains are labelled regions, each with at least one member.
  ASSERT_GE(vm.topology().domains.size(), 1u);
  for (const TopoDomain& d : vm.topology().domains)
    EXPECT_FALSE(d.nodes.empty()) << d.name;
  const auto phases = vm.index().phases();
  EXPECT_TRUE(std::any_of(phases.begin(), phases.end(),
                          [](const Phase& p) { return p.kind == PhaseKind::Submission; }));
  // STARTTLS: TLS records in the trace, and the key log kept for the pcap export.
  EXPECT_NE(
      testing::find_event(vm.trace(), [](const TraceEvent& e) { return e.layer == Layer::Tls; }),
      kNoEvent);
  EXPECT_FALSE(vm.run().key_log.empty());
  // A lesson the World cannot build yet is an error dialog, and the run stays.
  auto fetching = make_source("cross-domain", dir, 1);
  ASSERT_TRUE(fetching.ok());
  if (!session.open(**fetching, "cross-domain")) {
    ASSERT_TRUE(session.error().has_value());
    EXPECT_EQ(session.vm().run().metadata.id, "submission-starttls");
  }
}

}  // namespace
}  // namespace mailscope::gui
