#include "service/ipc_connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "net/base/net_errors.h"
#include "proto/utf8_validator.h"

namespace prewarm {

namespace {

ipc::ServiceMessage ErrorMessage(uint32_t request_id,
                                 int code,
                                 std::string_view message) {
  ipc::ServiceMessage reply;
  reply.set_request_id(request_id);
  ipc::Error* error = reply.mutable_error();
  error->set_code(code);
  error->set_error_name(net::ErrorToShortString(code));
  error->set_message(std::string(message));
  return reply;
}

// The request_id a ClientMessage's bytes carry, or 0.
uint32_t RequestIdOf(std::string_view body) {
  google::protobuf::UnknownFieldSet wire;
  if (!wire.ParseFromArray(body.data(), static_cast<int>(body.size())))
    return 0;
  const int number = ipc::ClientMessage::kRequestIdFieldNumber;
  uint32_t request_id = 0;
  for (int i = 0; i < wire.field_count(); ++i) {
    const google::protobuf::UnknownField& field = wire.field(i);
    // The last occurrence wins, as in protobuf's parser.
    if (field.number() == number &&
        field.type() == google::protobuf::UnknownField::TYPE_VARINT) {
      request_id = static_cast<uint32_t>(field.varint());
    }
  }
  return request_id;
}

}  // namespace

IpcConnection::IpcConnection(uint64_t id,
                             int fd,
                             Delegate* delegate,
                             const IpcChannel::Limits& limits)
    : id_(id),
      delegate_(delegate),
      channel_(fd, std::make_unique<ipc::ClientMessage>(), this, limits) {}

IpcConnection::~IpcConnection() = default;

// static
void IpcConnection::Refuse(int fd, int code, std::string_view message) {
  std::string frame;
  {
    google::protobuf::io::StringOutputStream out(&frame);
    google::protobuf::util::SerializeDelimitedToZeroCopyStream(
        ErrorMessage(0, code, message), &out);
  }
  // Best effort: a new socket's buffer takes one small frame.
  ssize_t sent =
      ::send(fd, frame.data(), frame.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  (void)sent;
  ::close(fd);
}

void IpcConnection::Start() {
  channel_.Start();
}

bool IpcConnection::Send(const ipc::ServiceMessage& message) {
  return channel_.Send(message);
}

void IpcConnection::SendError(uint32_t request_id,
                              int code,
                              std::string_view message) {
  channel_.Send(ErrorMessage(request_id, code, message));
}

void IpcConnection::OnMessageReceived(
    const google::protobuf::MessageLite& message) {
  // The channel was made with an ipc::ClientMessage prototype.
  delegate_->OnClientMessage(this,
                             static_cast<const ipc::ClientMessage&>(message));
}

bool IpcConnection::OnUndecodableMessage(std::string_view body) {
  std::string field = Utf8Validator::FindInvalidFieldInWire(
      *ipc::ClientMessage::descriptor(), body);
  if (field.empty())
    return false;
  // As for a refused request id: an Error under an id in use would read as
  // the outcome of the call that holds it.
  uint32_t request_id = RequestIdOf(body);
  if (IsRequestIdInUse(request_id))
    request_id = 0;
  SendError(request_id, net::ERR_INVALID_ARGUMENT,
            absl::StrCat(field,
                         " is not valid UTF-8, which a string field must be; "
                         "this message was not run"));
  return true;
}

void IpcConnection::OnBadFrame(int error, const std::string& description) {
  SendError(0, error, description);
}

void IpcConnection::OnChannelClosed(int error) {
  delegate_->OnConnectionClosed(this, error);
}

}  // namespace prewarm
