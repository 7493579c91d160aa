#include "static_files.h"

#include <fstream>

#include <gtest/gtest.h>

namespace nms::proxy {
namespace {

namespace fs = std::filesystem;
using Kind = StaticResolution::Kind;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("nms_static_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    Write("web/index.html", "<html>web</html>");
    Write("web/app.js", "js");
    Write("web/assets/app-1a2b.css", "css");
    Write("web/docs/index.html", "docs");
    Write("mobile/index.html", "<html>m</html>");
    Write("mobile/sw.js", "sw");
    Write("mobile/manifest.webmanifest", "{}");
    Write("secret.txt", "top secret");
    fs::create_symlink(base_ / "secret.txt", base_ / "web/leak.txt");
    files_ = std::make_unique<StaticFiles>(std::vector<StaticMount>{
        *ParseStaticMount("/=" + (base_ / "web").string()),
        *ParseStaticMount("/m=" + (base_ / "mobile").string())});
  }
  void TearDown() override { fs::remove_all(base_); }

  void Write(const std::string& rel, const std::string& content) {
    fs::create_directories((base_ / rel).parent_path());
    std::ofstream(base_ / rel) << content;
  }
  fs::path Real(const std::string& rel) { return fs::canonical(base_ / rel); }

  fs::path base_;
  std::unique_ptr<StaticFiles> files_;
};

TEST_F(StaticFilesTest, ServesFilesAndIndexes) {
  auto r = files_->Resolve("/app.js?v=3");
  EXPECT_EQ(r.kind, Kind::kFile);
  EXPECT_EQ(r.file, Real("web/app.js"));
  EXPECT_EQ(files_->Resolve("/").file, Real("web/index.html"));
  EXPECT_EQ(files_->Resolve("/docs/").file, Real("web/docs/index.html"));
  EXPECT_EQ(files_->Resolve("/m/sw.js").file, Real("mobile/sw.js"));
  EXPECT_EQ(files_->Resolve("/m/").file, Real("mobile/index.html"));
  EXPECT_EQ(files_->Resolve("/%61pp.js").file, Real("web/app.js"));  // percent-decoded
}

TEST_F(StaticFilesTest, RedirectsDirectoriesWithoutSlash) {
  auto r = files_->Resolve("/docs");
  EXPECT_EQ(r.kind, Kind::kRedirect);
  EXPECT_EQ(r.location, "/docs/");
  auto m = files_->Resolve("/m");
  EXPECT_EQ(m.kind, Kind::kRedirect);
  EXPECT_EQ(m.location, "/m/");
}

TEST_F(StaticFilesTest, SpaFallbackOnlyForRouteLikePaths) {
  EXPECT_EQ(files_->Resolve("/teachers/42").file, Real("web/index.html"));
  EXPECT_EQ(files_->Resolve("/m/route/today").file, Real("mobile/index.html"));
  EXPECT_EQ(files_->Resolve("/missing.js").kind, Kind::kNotFound);
  EXPECT_EQ(files_->Resolve("/m/missing.png").kind, Kind::kNotFound);
}

TEST_F(StaticFilesTest, RefusesTraversal) {
  for (const char* evil : {"/../secret.txt", "/m/../../secret.txt", "/%2e%2e/secret.txt",
                           "/m/%2E%2E/%2e%2e/secret.txt", "/docs/..%2f..%2fsecret.txt",
                           "/..\\secret.txt", "/app.js%00.html", "/leak.txt"}) {
    auto r = files_->Resolve(evil);
    EXPECT_EQ(r.kind, Kind::kForbidden) << evil;
  }
}

TEST_F(StaticFilesTest, NotMountedWithoutRootMount) {
  StaticFiles only_m({*ParseStaticMount("/m/=" + (base_ / "mobile").string())});
  EXPECT_EQ(only_m.Resolve("/app.js").kind, Kind::kNotMounted);
  EXPECT_EQ(only_m.Resolve("/m/sw.js").kind, Kind::kFile);
}

TEST_F(StaticFilesTest, ParseStaticMountValidates) {
  EXPECT_FALSE(ParseStaticMount("no-equals").ok());
  EXPECT_FALSE(ParseStaticMount("relative=dir").ok());
  EXPECT_FALSE(ParseStaticMount("/x=" + (base_ / "nope").string()).ok());
  auto m = ParseStaticMount("/m=" + (base_ / "mobile").string());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->prefix, "/m/");
}

TEST(StaticMime, TypesAndCaching) {
  EXPECT_EQ(MimeTypeFor("a/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(MimeTypeFor("a.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(MimeTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(MimeTypeFor("a.json"), "application/json");
  EXPECT_EQ(MimeTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(MimeTypeFor("a.png"), "image/png");
  EXPECT_EQ(MimeTypeFor("manifest.webmanifest"), "application/manifest+json");
  EXPECT_EQ(MimeTypeFor("favicon.ico"), "image/x-icon");
  EXPECT_EQ(MimeTypeFor("blob"), "application/octet-stream");
  EXPECT_EQ(CacheControlFor("dist/index.html"), "no-cache");
  EXPECT_EQ(CacheControlFor("dist/sw.js"), "no-cache");
  EXPECT_EQ(CacheControlFor("dist/service-worker.js"), "no-cache");
  EXPECT_EQ(CacheControlFor("dist/assets/index-9f8e.js"), "public, max-age=31536000, immutable");
  EXPECT_EQ(CacheControlFor("dist/icon.png"), "public, max-age=300");
  EXPECT_EQ(CacheControlFor("dist/manifest.webmanifest"), "no-cache");
  EXPECT_EQ(CacheControlFor("dist/version.json"), "no-cache");
}

TEST_F(StaticFilesTest, PrecompressedVariantByAcceptEncoding) {
  Write("web/assets/app-1a2b.js", "plain");
  Write("web/assets/app-1a2b.js.br", "br");
  Write("web/assets/app-1a2b.js.gz", "gz");
  Write("web/assets/only-gz.js", "plain");
  Write("web/assets/only-gz.js.gz", "gz");
  const fs::path js = Real("web/assets/app-1a2b.js");
  const fs::path gz_only = Real("web/assets/only-gz.js");
  auto enc = [&](const fs::path& f, std::string_view accept) -> std::string {
    auto v = PrecompressedFor(f, accept);
    return v ? std::string(v->encoding) + ":" + v->file.filename().string() : "identity";
  };
  EXPECT_EQ(enc(js, "gzip, deflate, br, zstd"), "br:app-1a2b.js.br");
  EXPECT_EQ(enc(js, "gzip, deflate"), "gzip:app-1a2b.js.gz");
  EXPECT_EQ(enc(js, "gzip;q=1, br;q=0.5"), "gzip:app-1a2b.js.gz");
  EXPECT_EQ(enc(js, "br;q=0, gzip;q=0"), "identity");
  EXPECT_EQ(enc(js, "*"), "br:app-1a2b.js.br");
  EXPECT_EQ(enc(js, "*;q=0, gzip"), "gzip:app-1a2b.js.gz");
  EXPECT_EQ(enc(js, ""), "identity");
  EXPECT_EQ(enc(gz_only, "br, gzip"), "gzip:only-gz.js.gz");
  EXPECT_EQ(enc(Real("web/app.js"), "br, gzip"), "identity");
  EXPECT_TRUE(HasPrecompressed(js));
  EXPECT_FALSE(HasPrecompressed(Real("web/app.js")));
  // A symlinked variant could lead out of the mount: ignored.
  fs::create_symlink(base_ / "secret.txt", base_ / "web/app.js.gz");
  EXPECT_EQ(enc(Real("web/app.js"), "gzip"), "identity");
}

}  // namespace
}  // namespace nms::proxy
