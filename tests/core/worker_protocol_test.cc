// The worker wire format (core/src/ingest/worker_protocol.h): frames and
// page-image payloads, including the inputs fuzz/worker_frame_fuzzer checks.
#include <gtest/gtest.h>

#include <string>

#include "worker_protocol.h"

namespace dossier::worker {
namespace {

std::string Image(uint32_t page, uint32_t width, uint32_t height, uint32_t channels, size_t pixel_bytes) {
  std::string out;
  for (uint32_t v : {page, width, height, channels, 30000u}) PutFixed32(&out, v);
  out.append(pixel_bytes, '\x7f');
  return out;
}

TEST(WorkerProtocolTest, AnImageRoundTrips) {
  const unsigned char pixels[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  dossier_page_image in{4, 1, 3, 12, pixels, 300};
  const std::string payload = ImagePayload(7, in);
  uint32_t page = 0;
  dossier_page_image out{};
  ASSERT_TRUE(ParseImagePayload(payload, &page, &out));
  EXPECT_EQ(page, 7u);
  EXPECT_EQ(out.width, 4u);
  EXPECT_EQ(out.height, 1u);
  EXPECT_EQ(out.stride, 12u);
  EXPECT_EQ(out.pixels[11], 12);
  EXPECT_FLOAT_EQ(out.dpi, 300);
}

TEST(WorkerProtocolTest, ImageSizesThatDoNotAddUpAreRefused) {
  uint32_t page = 0;
  dossier_page_image image{};
  EXPECT_FALSE(ParseImagePayload(Image(1, 4, 3, 1, 11), &page, &image));
  EXPECT_FALSE(ParseImagePayload(Image(1, 4, 3, 2, 24), &page, &image));  // two channels
  EXPECT_FALSE(ParseImagePayload(Image(1, 0, 3, 1, 0), &page, &image));
  EXPECT_FALSE(ParseImagePayload(Image(1, 4, 3, 1, 0).substr(0, 19), &page, &image));
  EXPECT_TRUE(ParseImagePayload(Image(1, 4, 3, 1, 12), &page, &image));
}

// Found while writing fuzz/worker_frame_fuzzer (whose harness reads every
// parsed image in full, and overran this one under AddressSanitizer):
// 3 × 2154230017 × 2854344542 is 2^64 + 26, so the 64-bit product wrapped
// onto a payload of 26 pixel bytes and the reader was handed an image of
// 6 GB rows to read past them.
TEST(WorkerProtocolTest, AnImageWhoseSizeWrapsAround64BitsIsRefused) {
  uint32_t page = 0;
  dossier_page_image image{};
  EXPECT_FALSE(ParseImagePayload(Image(1, 2154230017u, 2854344542u, 3, 26), &page, &image));
  // A row wider than a 32-bit stride.
  EXPECT_FALSE(ParseImagePayload(Image(1, 0x80000000u, 1, 3, 0), &page, &image));
}

TEST(WorkerProtocolTest, FramesAreTakenWholeAndOversizedOnesAreBad) {
  std::string buffer = Frame(kWarning, "abc") + Frame(kDone, "");
  buffer.push_back('W');  // a header cut short
  size_t consumed = 0;
  FrameType type;
  std::string_view payload;
  bool bad = false;
  ASSERT_TRUE(TakeFrame(&buffer, &consumed, &type, &payload, &bad));
  EXPECT_EQ(type, kWarning);
  EXPECT_EQ(payload, "abc");
  ASSERT_TRUE(TakeFrame(&buffer, &consumed, &type, &payload, &bad));
  EXPECT_EQ(type, kDone);
  EXPECT_FALSE(TakeFrame(&buffer, &consumed, &type, &payload, &bad));
  EXPECT_FALSE(bad);
  std::string huge(1, 'P');
  PutFixed32(&huge, 0xFFFFFFFFu);
  consumed = 0;
  EXPECT_FALSE(TakeFrame(&huge, &consumed, &type, &payload, &bad));
  EXPECT_TRUE(bad);
}

// A page goes over with its line styles, and a page sent without any (an
// OCR page) reads back with none; a truncated style list is refused.
TEST(WorkerProtocolTest, PagePayloadCarriesLineStyles) {
  PageText page;
  page.number = 7;
  page.source = TextSource::kTextLayer;
  page.text = "Heading\nbody line\nbody line";
  page.line_styles = {{0, 1, 16.5f, LineStyle::kBold}, {1, 2, 10, 0}};
  const std::string payload = PagePayload(page);
  PageText out;
  ASSERT_TRUE(ParsePagePayload(payload, &out));
  EXPECT_EQ(out.number, 7u);
  EXPECT_EQ(out.text, page.text);
  EXPECT_EQ(out.ocr_confidence, -1.0f);
  EXPECT_EQ(out.line_styles, page.line_styles);
  EXPECT_FALSE(ParsePagePayload(payload.substr(0, payload.size() - 1), &out));

  PageText ocr;
  ocr.number = 2;
  ocr.source = TextSource::kOcr;
  ocr.ocr_confidence = 87.5f;
  ocr.text = "read from pixels";
  ASSERT_TRUE(ParsePagePayload(PagePayload(ocr), &out));
  EXPECT_EQ(out.source, TextSource::kOcr);
  EXPECT_FLOAT_EQ(out.ocr_confidence, 87.5f);
  EXPECT_TRUE(out.line_styles.empty());
}

}  // namespace
}  // namespace dossier::worker
