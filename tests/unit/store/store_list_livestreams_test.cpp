// listLivestreams: paging, ordering, search and status filters.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>

#include "core/lifecycle.hpp"
#include "store_engines.hpp"

namespace ls::testing {
namespace {

using S = LivestreamStatus;

class ListLivestreamsTest : public StoreContractTest {
 protected:
  void add(const std::string& id, UnixMillis createdAt, const std::string& name = "", S phase = S::kReadyForUse,
           UnixMillis tokenExpiresAt = 1'000'000) {
    Livestream l = sampleLivestream(id, createdAt);
    if (!name.empty()) l.name = name;
    l.phase = phase;
    l.tokenExpiresAt = tokenExpiresAt;
    ASSERT_TRUE(store_->insertLivestream(l).ok()) << id;
  }

  Page<Livestream> list(const LivestreamQuery& q) {
    Result<Page<Livestream>> page = store_->listLivestreams(q);
    EXPECT_TRUE(page.ok()) << page.status().message();
    return page.ok() ? std::move(page).value() : Page<Livestream>{};
  }

  static std::vector<std::string> ids(const Page<Livestream>& page) {
    std::vector<std::string> out;
    for (const Livestream& l : page.items) out.push_back(l.id);
    return out;
  }
};

TEST_P(ListLivestreamsTest, PagesNewestFirstWithTotal) {
  for (int i = 0; i < 25; ++i) add("ls-" + std::to_string(100 + i), 1000 + i);

  const Page<Livestream> first = list(Query().page(1).limit(10));
  EXPECT_EQ(first.total, 25);
  ASSERT_EQ(first.items.size(), 10u);
  EXPECT_EQ(first.items.front().id, "ls-124");
  EXPECT_EQ(first.items.back().id, "ls-115");

  const Page<Livestream> last = list(Query().page(3).limit(10));
  EXPECT_EQ(last.total, 25);
  EXPECT_EQ(ids(last), (std::vector<std::string>{"ls-104", "ls-103", "ls-102", "ls-101", "ls-100"}));

  const Page<Livestream> past = list(Query().page(4).limit(10));
  EXPECT_EQ(past.total, 25);
  EXPECT_TRUE(past.items.empty());

  // Far past the end, where page * limit would overflow int64.
  const Page<Livestream> huge = list(Query().page(std::numeric_limits<std::int64_t>::max()).limit(100));
  EXPECT_EQ(huge.total, 25);
  EXPECT_TRUE(huge.items.empty());
}

// Livestreams created in one millisecond (a partner's burst of creates) list
// the later insert first, whatever their random UUIDs say.
TEST_P(ListLivestreamsTest, SameCreatedAtListsTheLaterInsertFirst) {
  const std::string first = "9f1c2b7a-0d4e-4a51-8b6c-3e2f1a0b9c8d";
  const std::string second = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
  const std::string third = "c7d8e9f0-a1b2-4c3d-9e4f-5a6b7c8d9e0f";
  const std::string fourth = "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e";
  const std::string older = "ffffffff-ffff-4fff-bfff-ffffffffffff";
  add(older, 400);
  for (const std::string& id : {first, second, third, fourth}) add(id, 500);
  const std::vector<std::string> newestFirst = {fourth, third, second, first, older};
  std::vector<std::string> byId = newestFirst;
  std::sort(byId.begin(), byId.begin() + 4, std::greater<>());
  ASSERT_NE(byId, newestFirst) << "the ids must sort differently from their insertion";

  EXPECT_EQ(ids(list(Query())), newestFirst);
  // Pages split the tie where the whole list does.
  EXPECT_EQ(ids(list(Query().limit(2))), (std::vector<std::string>{fourth, third}));
  EXPECT_EQ(ids(list(Query().limit(2).page(2))), (std::vector<std::string>{second, first}));
  EXPECT_EQ(ids(list(Query().limit(2).page(3))), std::vector<std::string>{older});

  // With the latest insert deleted, the next one still lists above the rest.
  ASSERT_TRUE(store_->deleteLivestream(fourth).isOk());
  const std::string fifth = "00000000-0000-4000-8000-000000000001";
  add(fifth, 500);
  EXPECT_EQ(ids(list(Query())), (std::vector<std::string>{fifth, third, second, first, older}));
}

TEST_P(ListLivestreamsTest, OnlyTheRequestedProject) {
  ASSERT_TRUE(store_->insertProject(sampleProject("project-2")).ok());
  add("mine", 1);
  Livestream theirs = sampleLivestream("theirs", 2, "project-2");
  ASSERT_TRUE(store_->insertLivestream(theirs).ok());
  const Page<Livestream> page = list(Query());
  EXPECT_EQ(page.total, 1);
  EXPECT_EQ(ids(page), std::vector<std::string>{"mine"});
  const Page<Livestream> other = list(Query().project("project-2"));
  EXPECT_EQ(ids(other), std::vector<std::string>{"theirs"});
  const Page<Livestream> none = list(Query().project("project-404"));
  EXPECT_EQ(none.total, 0);
}

TEST_P(ListLivestreamsTest, SearchIsCaseInsensitiveSubstring) {
  add("1", 1, "Camera One");
  add("2", 2, "backstage cam");
  add("3", 3, "Podium");
  const Page<Livestream> page = list(Query().search("CAM"));
  EXPECT_EQ(page.total, 2);
  EXPECT_EQ(ids(page), (std::vector<std::string>{"2", "1"}));
  EXPECT_EQ(list(Query().search("nothing")).total, 0);
  EXPECT_EQ(list(Query().search("")).total, 3);
}

TEST_P(ListLivestreamsTest, SearchTreatsLikeWildcardsLiterally) {
  add("pct", 1, "100% live");
  add("pct-not", 2, "100 percent live");
  add("under", 3, "a_b");
  add("under-not", 4, "axb");
  add("slash", 5, "back\\slash");
  add("slash-not", 6, "backslash");
  add("quote", 7, "it's 'quoted'");
  EXPECT_EQ(ids(list(Query().search("%"))), std::vector<std::string>{"pct"});
  EXPECT_EQ(ids(list(Query().search("0% l"))), std::vector<std::string>{"pct"});
  EXPECT_EQ(ids(list(Query().search("_"))), std::vector<std::string>{"under"});
  EXPECT_EQ(ids(list(Query().search("a_b"))), std::vector<std::string>{"under"});
  EXPECT_EQ(ids(list(Query().search("\\"))), std::vector<std::string>{"slash"});
  EXPECT_EQ(ids(list(Query().search("k\\s"))), std::vector<std::string>{"slash"});
  EXPECT_EQ(ids(list(Query().search("'quoted'"))), std::vector<std::string>{"quote"});
}

TEST_P(ListLivestreamsTest, StatusFilterFollowsEffectiveStatusAtNow) {
  const UnixMillis now = 1000;
  add("ready", 1, "", S::kReadyForUse, 2000);
  add("ready-expired", 2, "", S::kReadyForUse, 500);
  add("ended", 3, "", S::kEnded, 2000);
  add("ended-expired-exactly", 4, "", S::kEnded, 1000);  // exp <= now counts as expired
  add("live-expired", 5, "", S::kStarted, 500);          // live is never cut by expiry
  add("live", 6, "", S::kStarted, 5000);

  EXPECT_EQ(ids(list(Query().status(S::kReadyForUse).now(now))), std::vector<std::string>{"ready"});
  EXPECT_EQ(ids(list(Query().status(S::kEnded).now(now))), std::vector<std::string>{"ended"});
  EXPECT_EQ(ids(list(Query().status(S::kStarted).now(now))), (std::vector<std::string>{"live", "live-expired"}));
  const Page<Livestream> expired = list(Query().status(S::kTokenExpired).now(now));
  EXPECT_EQ(expired.total, 2);
  EXPECT_EQ(ids(expired), (std::vector<std::string>{"ended-expired-exactly", "ready-expired"}));
  EXPECT_EQ(list(Query().now(now)).total, 6);

  // Whatever the filter, every row it returns reads as that status.
  for (S status : {S::kReadyForUse, S::kStarted, S::kEnded, S::kTokenExpired}) {
    for (const Livestream& l : list(Query().status(status).now(now)).items) {
      EXPECT_EQ(effectiveStatus(l, now), status) << l.id;
    }
  }
  // Later, the ready one has expired too.
  EXPECT_EQ(list(Query().status(S::kTokenExpired).now(2000)).total, 4);
  EXPECT_EQ(list(Query().status(S::kReadyForUse).now(2000)).total, 0);
}

TEST_P(ListLivestreamsTest, FiltersCombineWithPaging) {
  for (int i = 0; i < 7; ++i) add("cam-" + std::to_string(i), i, "Cam " + std::to_string(i));
  for (int i = 0; i < 5; ++i) add("mic-" + std::to_string(i), 100 + i, "Mic " + std::to_string(i));
  ASSERT_TRUE(store_->startLivestream("cam-6", "jti-cam-6", 1, {}).isOk());

  const Page<Livestream> page = list(Query().page(2).limit(4).status(S::kReadyForUse).search("cam"));
  EXPECT_EQ(page.total, 6);
  EXPECT_EQ(ids(page), (std::vector<std::string>{"cam-1", "cam-0"}));
}

TEST_P(ListLivestreamsTest, InvalidQueriesAreRefused) {
  Result<Page<Livestream>> noProject = store_->listLivestreams(Query().project(""));
  ASSERT_FALSE(noProject.ok());
  EXPECT_EQ(noProject.status().code(), Code::kInvalidArgument);
  Result<Page<Livestream>> pageZero = store_->listLivestreams(Query().page(0));
  ASSERT_FALSE(pageZero.ok());
  EXPECT_EQ(pageZero.status().code(), Code::kInvalidArgument);
  Result<Page<Livestream>> limitZero = store_->listLivestreams(Query().limit(0));
  ASSERT_FALSE(limitZero.ok());
  EXPECT_EQ(limitZero.status().code(), Code::kInvalidArgument);
}

LS_STORE_SUITE(ListLivestreamsTest);

}  // namespace
}  // namespace ls::testing
