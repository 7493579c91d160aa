// Works handed in for externally scored items: what is accepted (text, a file of an allowed type
// and size, an http(s) link) and when (during the session; after it until scored while the
// campaign is open).

#include "server/domain/diagnostics/expert_work.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace nms::diagnostics {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1780000000);

WorkInput Text(std::string t) {
  WorkInput w;
  w.kind = WorkKind::kText;
  w.text = std::move(t);
  return w;
}

WorkInput File(std::string name, std::string type, int64_t size) {
  WorkInput w;
  w.kind = WorkKind::kFile;
  w.file_name = std::move(name);
  w.content_type = std::move(type);
  w.file_size = size;
  return w;
}

WorkInput Link(std::string url) {
  WorkInput w;
  w.kind = WorkKind::kLink;
  w.link_url = std::move(url);
  return w;
}

std::string Message(const WorkInput& w) { return std::string(ValidateWork(w, "work.").message()); }

TEST(ExpertWorkTest, TextIsRequiredAndBounded) {
  EXPECT_TRUE(ValidateWork(Text("Разбор кейса: ученик не выполняет задание…"), "work.").ok());
  EXPECT_EQ(ValidateWork(Text("   "), "work.").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(Message(Text("  ")), "work.text"));
  std::string ru;
  for (size_t i = 0; i < kMaxWorkTextChars; ++i) ru += "я";
  EXPECT_TRUE(ValidateWork(Text(ru), "work.").ok()) << Message(Text(ru));
  EXPECT_EQ(Message(Text(ru + "я")), "Поле work.text: не длиннее 20 000 символов");
  WorkInput mixed = Text("ответ");
  mixed.link_url = "https://video.example/1";
  EXPECT_EQ(ValidateWork(mixed, "work.").code(), absl::StatusCode::kInvalidArgument);
}

TEST(ExpertWorkTest, FilesByAllowListAndSize) {
  EXPECT_TRUE(ValidateWork(File("План урока.pdf", "application/pdf", 1000), "work.").ok());
  EXPECT_TRUE(ValidateWork(File("plan.DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 1),
                           "work.")
                  .ok());
  EXPECT_TRUE(ValidateWork(File("фото доски.jpeg", "image/jpeg", kMaxWorkFileBytes), "work.").ok());
  EXPECT_TRUE(ValidateWork(File("scan.png", "image/png", 10), "work.").ok());
  EXPECT_TRUE(ValidateWork(File("plan.odt", "application/vnd.oasis.opendocument.text", 10), "work.").ok());
  // Over the limit, empty, a type outside the list, an extension that contradicts the type.
  EXPECT_EQ(Message(File("plan.pdf", "application/pdf", kMaxWorkFileBytes + 1)),
            "Поле work.file_content: файл больше 5 МБ — уменьшите его или пришлите ссылку");
  EXPECT_TRUE(absl::StrContains(Message(File("plan.pdf", "application/pdf", 0)), "файл пустой"));
  EXPECT_EQ(Message(File("run.exe", "application/x-msdownload", 10)),
            "Поле work.content_type: такой тип файла не принимается; подойдут PDF, DOC, DOCX, ODT, RTF, TXT, JPG, PNG");
  EXPECT_FALSE(ValidateWork(File("plan.exe", "application/pdf", 10), "work.").ok());
  EXPECT_FALSE(ValidateWork(File("../plan.pdf", "application/pdf", 10), "work.").ok());
  EXPECT_FALSE(ValidateWork(File("", "application/pdf", 10), "work.").ok());
}

TEST(ExpertWorkTest, LinksAreHttpOrHttpsWithAHost) {
  EXPECT_TRUE(ValidateWork(Link("https://disk.example.ru/урок-7"), "work.").ok());
  EXPECT_TRUE(ValidateWork(Link("HTTP://video.example/watch?v=1"), "work.").ok());
  for (const char* bad : {"javascript:alert(1)", "ftp://files.example/a", "https://", "https:///path",
                          "https://user@host/", "https://host/with space", "video.example/1", "data:text/html,x"}) {
    EXPECT_EQ(Message(Link(bad)), "Поле work.link_url: нужна ссылка, начинающаяся с http:// или https://") << bad;
  }
  EXPECT_FALSE(ValidateWork(Link("https://h/" + std::string(kMaxWorkLinkChars, 'a')), "work.").ok());
  EXPECT_TRUE(absl::StrContains(Message(WorkInput{}), "work.kind"));
}

TEST(ExpertWorkTest, HandInDuringTheSessionAndAfterItUntilScored) {
  const std::optional<absl::Time> deadline = kT0 + absl::Hours(1);
  const std::optional<absl::Time> close = kT0 + absl::Hours(24 * 10);
  EXPECT_TRUE(CheckCanHandIn(SessionState::kInProgress, deadline, CampaignState::kLaunched, close, false, kT0).ok());
  EXPECT_EQ(CheckCanHandIn(SessionState::kInProgress, deadline, CampaignState::kLaunched, close, false,
                           kT0 + absl::Hours(2))
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // After submit: a lesson video may come later, while the campaign is open and nothing is scored.
  EXPECT_TRUE(CheckCanHandIn(SessionState::kSubmitted, deadline, CampaignState::kLaunched, close, false,
                             kT0 + absl::Hours(5))
                  .ok());
  EXPECT_TRUE(CheckCanHandIn(SessionState::kTimedOut, deadline, CampaignState::kLaunched, std::nullopt, false,
                             kT0 + absl::Hours(5))
                  .ok());
  auto scored = CheckCanHandIn(SessionState::kSubmitted, deadline, CampaignState::kLaunched, close, true, kT0);
  EXPECT_EQ(scored.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(scored.message(), "Эксперт уже оценил эту работу; сдать её заново нельзя");
  EXPECT_EQ(CheckCanHandIn(SessionState::kSubmitted, deadline, CampaignState::kClosed, close, false, kT0).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckCanHandIn(SessionState::kSubmitted, deadline, CampaignState::kLaunched, close, false,
                           *close + absl::Seconds(1))
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace nms::diagnostics
