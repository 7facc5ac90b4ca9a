#include "net/http/http_response_parser.h"

#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"

namespace net {
namespace {

using ::testing::HasSubstr;

// Outcome of feeding a whole byte string, in the given pieces, then maybe a
// close.
struct ParseOutcome {
  int result = OK;  // The first error, or OK.
  size_t consumed = 0;
  std::string body;
};

ParseOutcome FeedPieces(HttpResponseParser& parser,
                        const std::vector<std::string_view>& pieces,
                        bool then_close) {
  ParseOutcome outcome;
  for (std::string_view piece : pieces) {
    int rv = parser.Parse(piece);
    if (rv < 0) {
      outcome.result = rv;
      return outcome;
    }
    outcome.consumed += rv;
    char buf[7];  // Small on purpose: bodies come out in several reads.
    while (int n = parser.ReadBody(buf, sizeof(buf)))
      outcome.body.append(buf, n);
  }
  if (then_close) {
    outcome.result = parser.OnConnectionClosed();
    char buf[64];
    while (int n = parser.ReadBody(buf, sizeof(buf)))
      outcome.body.append(buf, n);
  }
  return outcome;
}

// Parses `bytes` split into two pieces at every offset, and once byte by byte,
// and checks each run gives the same body and completion.
void ExpectSameAtEverySplit(std::string_view bytes,
                            bool is_head,
                            bool then_close,
                            const std::string& expected_body,
                            bool expected_keep_alive) {
  for (size_t split = 0; split <= bytes.size(); ++split) {
    SCOPED_TRACE(testing::Message() << "split at " << split);
    HttpResponseParser parser(is_head);
    ParseOutcome outcome = FeedPieces(
        parser, {bytes.substr(0, split), bytes.substr(split)}, then_close);
    EXPECT_EQ(OK, outcome.result) << parser.error_message();
    EXPECT_TRUE(parser.response_complete());
    EXPECT_EQ(expected_body, outcome.body);
    EXPECT_EQ(expected_keep_alive, parser.keep_alive());
    EXPECT_EQ(bytes.size(), outcome.consumed);
  }
  std::vector<std::string_view> single_bytes;
  for (size_t i = 0; i < bytes.size(); ++i)
    single_bytes.push_back(bytes.substr(i, 1));
  HttpResponseParser parser(is_head);
  ParseOutcome outcome = FeedPieces(parser, single_bytes, then_close);
  EXPECT_EQ(OK, outcome.result) << parser.error_message();
  EXPECT_EQ(expected_body, outcome.body);
}

TEST(HttpResponseParserTest, ContentLengthResponseParsesAtEverySplit) {
  constexpr std::string_view kResponse =
      "HTTP/1.1 200 OK\r\n"
      "Content-Type: text/plain\r\n"
      "Content-Length: 11\r\n"
      "\r\n"
      "hello world";
  ExpectSameAtEverySplit(kResponse, /*is_head=*/false, /*then_close=*/false,
                         "hello world", /*expected_keep_alive=*/true);

  HttpResponseParser parser(false);
  ASSERT_EQ(static_cast<int>(kResponse.size()), parser.Parse(kResponse));
  EXPECT_EQ(200, parser.headers().response_code());
  EXPECT_EQ("OK", parser.headers().status_text());
  EXPECT_EQ(1, parser.headers().http_major());
  EXPECT_EQ(1, parser.headers().http_minor());
  EXPECT_EQ(11u, parser.content_length());
  EXPECT_FALSE(parser.is_chunked());
  EXPECT_EQ("text/plain", parser.headers().GetHeader("content-type"));
  EXPECT_EQ(11u, parser.body_bytes_received());
}

TEST(HttpResponseParserTest, ChunkedBodyWithExtensionsAndTrailersDecodes) {
  constexpr std::string_view kResponse =
      "HTTP/1.1 200 OK\r\n"
      "Transfer-Encoding: chunked\r\n"
      "\r\n"
      "5;name=value\r\nhello\r\n"
      "1\r\n \r\n"
      "5\r\nworld\r\n"
      "0\r\n"
      "X-Trailer: yes\r\n"
      "\r\n";
  ExpectSameAtEverySplit(kResponse, false, false, "hello world", true);

  HttpResponseParser parser(false);
  parser.Parse(kResponse);
  EXPECT_TRUE(parser.is_chunked());
  EXPECT_FALSE(parser.content_length().has_value());
}

TEST(HttpResponseParserTest, ConnectionCloseIsNotKeepAlive) {
  ExpectSameAtEverySplit(
      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
      false, false, "ok", false);
}

TEST(HttpResponseParserTest, Http10KeepsAliveOnlyWhenAsked) {
  ExpectSameAtEverySplit("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
                         false, false, "ok", false);
  ExpectSameAtEverySplit(
      "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: "
      "2\r\n\r\nok",
      false, false, "ok", true);
}

TEST(HttpResponseParserTest, BodyDelimitedByCloseEndsAtCloseAndIsNotReusable) {
  constexpr std::string_view kResponse =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end";
  HttpResponseParser parser(false);
  ASSERT_EQ(static_cast<int>(kResponse.size()), parser.Parse(kResponse));
  EXPECT_TRUE(parser.headers_complete());
  EXPECT_FALSE(parser.response_complete());
  ExpectSameAtEverySplit(kResponse, false, /*then_close=*/true, "until the end",
                         false);
}

TEST(HttpResponseParserTest, HeadResponseHasNoBodyDespiteContentLength) {
  ExpectSameAtEverySplit("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n",
                         /*is_head=*/true, false, "", true);
}

TEST(HttpResponseParserTest, NoContentAndNotModifiedHaveNoBody) {
  ExpectSameAtEverySplit("HTTP/1.1 204 No Content\r\n\r\n", false, false, "",
                         true);
  ExpectSameAtEverySplit(
      "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n", false, false,
      "", true);
}

TEST(HttpResponseParserTest, InterimResponsesAreSkipped) {
  constexpr std::string_view kResponse =
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nnew";
  ExpectSameAtEverySplit(kResponse, false, false, "new", true);
  HttpResponseParser parser(false);
  parser.Parse(kResponse);
  EXPECT_EQ(201, parser.headers().response_code());
  EXPECT_FALSE(parser.headers().GetHeader("Link").has_value());
}

TEST(HttpResponseParserTest, BytesAfterTheResponseAreLeftUnconsumed) {
  constexpr std::string_view kFirst =
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none";
  const std::string bytes =
      std::string(kFirst) + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  HttpResponseParser parser(false);
  EXPECT_EQ(static_cast<int>(kFirst.size()), parser.Parse(bytes));
  EXPECT_TRUE(parser.response_complete());
  // Once complete, nothing more is taken.
  EXPECT_EQ(0, parser.Parse("more"));
}

TEST(HttpResponseParserTest, RepeatedFieldsAreKeptAndLookupsIgnoreCase) {
  HttpResponseParser parser(false);
  parser.Parse(
      "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n"
      "Connection: Upgrade-Insecure, Keep-Alive\r\nEmpty:\r\n"
      "Content-Length: 0\r\n\r\n");
  ASSERT_TRUE(parser.response_complete());
  const auto& headers = parser.headers();
  ASSERT_EQ(5u, headers.headers().size());
  EXPECT_EQ("Set-Cookie", headers.headers()[0].first);
  EXPECT_EQ("b=2", headers.headers()[1].second);
  EXPECT_EQ("a=1", headers.GetHeader("SET-COOKIE"));
  EXPECT_EQ("", headers.GetHeader("empty"));
  EXPECT_TRUE(headers.HasHeaderValue("connection", "keep-alive"));
  EXPECT_FALSE(headers.HasHeaderValue("connection", "close"));
  EXPECT_FALSE(headers.GetHeader("missing").has_value());
}

TEST(HttpResponseParserTest,
     MalformedStatusLineGivesInvalidResponseWithReason) {
  HttpResponseParser parser(false);
  EXPECT_EQ(ERR_INVALID_HTTP_RESPONSE, parser.Parse("HTPT/1.1 200 OK\r\n\r\n"));
  EXPECT_THAT(parser.error_message(), HasSubstr("HPE_INVALID_CONSTANT"));
  // The error sticks.
  EXPECT_EQ(ERR_INVALID_HTTP_RESPONSE, parser.Parse("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(ERR_INVALID_HTTP_RESPONSE, parser.OnConnectionClosed());
}

TEST(HttpResponseParserTest, GarbageInHeadersIsRejected) {
  for (std::string_view bad : {
           std::string_view("HTTP/1.1 abc OK\r\n\r\n"),
           std::string_view("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n"),
           std::string_view("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n"),
           std::string_view("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
                            "Content-Length: 2\r\n\r\n"),
           std::string_view("HTTP/1.1 200 OK\r\nBad\x01Name: v\r\n\r\n"),
           std::string_view("\x16\x03\x01\x02\x00\x01\x00"),
       }) {
    SCOPED_TRACE(testing::PrintToString(std::string(bad)));
    HttpResponseParser parser(false);
    EXPECT_EQ(ERR_INVALID_HTTP_RESPONSE, parser.Parse(bad));
    EXPECT_THAT(parser.error_message(), HasSubstr("malformed HTTP response"));
  }
}

TEST(HttpResponseParserTest, BadChunkSizeGivesInvalidChunkedEncoding) {
  HttpResponseParser parser(false);
  EXPECT_EQ(ERR_INVALID_CHUNKED_ENCODING,
            parser.Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "zz\r\nhello\r\n"));
  EXPECT_THAT(parser.error_message(), HasSubstr("HPE_INVALID_CHUNK_SIZE"));
}

TEST(HttpResponseParserTest, OversizedHeadersAreRejected) {
  HttpResponseParser parser(false, /*max_header_bytes=*/1024);
  std::string response = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 100; ++i)
    response += "X-Filler-" + std::to_string(i) + ": some value\r\n";
  response += "\r\n";
  int rv = OK;
  // In small pieces, as a slow server would send them.
  for (size_t i = 0; i < response.size() && rv >= 0; i += 10)
    rv = parser.Parse(std::string_view(response).substr(i, 10));
  EXPECT_EQ(ERR_RESPONSE_HEADERS_TOO_BIG, rv);
  EXPECT_THAT(parser.error_message(), HasSubstr("1024"));
}

TEST(HttpResponseParserTest, ManyEmptyHeaderFieldsStillCountTowardsTheLimit) {
  HttpResponseParser parser(false, /*max_header_bytes=*/1024);
  std::string response = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 400; ++i)
    response += "a:\r\n";
  EXPECT_EQ(ERR_RESPONSE_HEADERS_TOO_BIG, parser.Parse(response));
}

TEST(HttpResponseParserTest, EndlessInterimResponsesHitTheHeaderLimit) {
  HttpResponseParser parser(false, /*max_header_bytes=*/1024);
  int rv = OK;
  for (int i = 0; i < 200 && rv >= 0; ++i)
    rv = parser.Parse("HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_EQ(ERR_RESPONSE_HEADERS_TOO_BIG, rv);
}

// F6: a 1xx has no content (RFC 9110 section 15.2). Its framing headers used
// to be honoured, so a 103 with a chunked "EVIL!" body put that body in front
// of the final response's: "EVIL!ok", on a connection still called reusable.
TEST(HttpResponseParserTest, InterimResponseBodyNeverReachesTheFinalBody) {
  for (std::string_view interim : {
           std::string_view("HTTP/1.1 103 Early Hints\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n"
                            "5\r\nEVIL!\r\n0\r\n\r\n"),
           std::string_view("HTTP/1.1 103 Early Hints\r\n"
                            "Content-Length: 5\r\n\r\nEVIL!"),
           std::string_view("HTTP/1.1 100 Continue\r\n"
                            "Content-Length: 5\r\n\r\nEVIL!"),
       }) {
    const std::string bytes =
        std::string(interim) + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    for (size_t split = 0; split <= bytes.size(); ++split) {
      SCOPED_TRACE(testing::Message()
                   << testing::PrintToString(bytes) << " split at " << split);
      HttpResponseParser parser(false);
      std::string_view view(bytes);
      ParseOutcome outcome =
          FeedPieces(parser, {view.substr(0, split), view.substr(split)}, true);
      // The would-be body is no status line: a protocol error, never reused.
      EXPECT_EQ(ERR_INVALID_HTTP_RESPONSE, outcome.result);
      EXPECT_FALSE(parser.response_complete());
      EXPECT_EQ(outcome.body.find("EVIL"), std::string::npos);
    }
  }
}

TEST(HttpResponseParserTest, InterimResponseWithEmptyFramingIsStillSkipped) {
  ExpectSameAtEverySplit(
      "HTTP/1.1 103 Early Hints\r\nContent-Length: 0\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      false, false, "ok", true);
}

// A response whose status line and header section are `header_bytes` long.
std::string ResponseWithHeaderBytes(size_t header_bytes) {
  const std::string head = "HTTP/1.1 200 OK\r\nX-Big: ";
  const std::string tail = "\r\nContent-Length: 2\r\n\r\n";
  return head + std::string(header_bytes - head.size() - tail.size(), 'v') +
         tail + "ok";
}

int ParseInPiecesOf(HttpResponseParser& parser,
                    std::string_view bytes,
                    size_t piece) {
  int rv = OK;
  for (size_t i = 0; i < bytes.size() && rv >= 0; i += piece)
    rv = parser.Parse(bytes.substr(i, piece));
  return rv;
}

// F12: the limit used to add 4 bytes per llhttp header-field callback, and
// llhttp calls it once per read piece: a 90 KB header passed in one piece and
// failed byte by byte. It counts the bytes now, at the exact limit.
TEST(HttpResponseParserTest, HeaderLimitCountsBytesHoweverTheyArrive) {
  constexpr size_t kLimit = 96 * 1024;
  for (size_t piece : {size_t{1}, size_t{7}, size_t{1000}, size_t{1} << 30}) {
    SCOPED_TRACE(testing::Message() << "pieces of " << piece);
    {
      HttpResponseParser parser(false, kLimit);
      const std::string at_limit = ResponseWithHeaderBytes(kLimit);
      EXPECT_GE(ParseInPiecesOf(parser, at_limit, piece), 0)
          << parser.error_message();
      EXPECT_TRUE(parser.response_complete());
    }
    {
      HttpResponseParser parser(false, kLimit);
      EXPECT_EQ(
          ERR_RESPONSE_HEADERS_TOO_BIG,
          ParseInPiecesOf(parser, ResponseWithHeaderBytes(kLimit + 1), piece));
    }
  }
}

TEST(HttpResponseParserTest, HeaderLimitCountsInterimResponsesToo) {
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";  // 25 bytes
  const std::string final_response =
      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  const std::string bytes = interim + interim + final_response;
  HttpResponseParser fits(false, bytes.size());
  EXPECT_EQ(static_cast<int>(bytes.size()), fits.Parse(bytes));
  HttpResponseParser over(false, bytes.size() - 1);
  EXPECT_EQ(ERR_RESPONSE_HEADERS_TOO_BIG, over.Parse(bytes));
}

TEST(HttpResponseParserTest, CloseBeforeAnyByteIsEmptyResponse) {
  HttpResponseParser parser(false);
  EXPECT_EQ(ERR_EMPTY_RESPONSE, parser.OnConnectionClosed());
  EXPECT_THAT(parser.error_message(), HasSubstr("before any response bytes"));
}

TEST(HttpResponseParserTest, CloseInsideHeadersIsInvalidResponse) {
  HttpResponseParser parser(false);
  ASSERT_EQ(21, parser.Parse("HTTP/1.1 200 OK\r\nX-Fo"));
  EXPECT_EQ(ERR_INVALID_HTTP_RESPONSE, parser.OnConnectionClosed());
  EXPECT_THAT(parser.error_message(), HasSubstr("inside the response headers"));
}

TEST(HttpResponseParserTest, TruncatedContentLengthBodyIsMismatch) {
  HttpResponseParser parser(false);
  ParseOutcome outcome = FeedPieces(
      parser, {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"}, true);
  EXPECT_EQ(ERR_CONTENT_LENGTH_MISMATCH, outcome.result);
  EXPECT_EQ("abc", outcome.body);
  EXPECT_THAT(parser.error_message(), HasSubstr("3 of 10"));
  EXPECT_FALSE(parser.response_complete());
}

TEST(HttpResponseParserTest, TruncatedChunkedBodyIsIncompleteChunkedEncoding) {
  HttpResponseParser parser(false);
  ParseOutcome outcome = FeedPieces(
      parser,
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"},
      true);
  EXPECT_EQ(ERR_INCOMPLETE_CHUNKED_ENCODING, outcome.result);
  EXPECT_EQ("abc", outcome.body);
}

TEST(HttpResponseParserTest, SwitchingProtocolsEndsTheResponseAndForbidsReuse) {
  constexpr std::string_view kResponse =
      "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\n"
      "Upgrade: websocket\r\n\r\n";
  HttpResponseParser parser(false);
  EXPECT_EQ(static_cast<int>(kResponse.size()),
            parser.Parse(std::string(kResponse) + "\x81\x05hello"));
  EXPECT_TRUE(parser.response_complete());
  EXPECT_EQ(101, parser.headers().response_code());
  EXPECT_FALSE(parser.keep_alive());
}

}  // namespace
}  // namespace net
