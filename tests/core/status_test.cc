// Tests of Status and Result.
#include "dossier/status.h"

#include <gtest/gtest.h>

namespace dossier {
namespace {

TEST(StatusTest, OkIsDefaultAndHasNoMessage) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.code(), StatusCode::kOk);
  EXPECT_EQ(ok.message(), "");
  EXPECT_EQ(ok.ToString(), "ok");
}

TEST(StatusTest, ErrorKeepsCodeMessageAndContext) {
  Status s = Status::DataLoss("page 12: cannot decode image").WithContext("a.pdf");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_EQ(s.message(), "a.pdf: page 12: cannot decode image");
  EXPECT_EQ(s.ToString(), "data_loss: a.pdf: page 12: cannot decode image");
  EXPECT_TRUE(Status::NotFound("x").IsNotFound());
  EXPECT_TRUE(Status::Ok().WithContext("ctx").ok());
}

TEST(StatusTest, CodeNamesAreCanonical) {
  EXPECT_EQ(StatusCodeName(StatusCode::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(StatusCodeName(StatusCode::kFailedPrecondition), "failed_precondition");
  EXPECT_EQ(static_cast<int>(StatusCode::kDataLoss), 15);  // shared with the plugin ABI
}

TEST(ResultTest, DefaultIsAnErrorNotSuccess) {
  Result<int> r;
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnknown);
}

TEST(ResultTest, OkStatusBecomesInternalError) {
  Result<int> r = Status::Ok();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  DOSSIER_ASSIGN_OR_RETURN(int half, Half(x));
  DOSSIER_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(ResultTest, AssignOrReturnPropagates) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Quarter(6).status().message(), "odd");
}

}  // namespace
}  // namespace dossier
