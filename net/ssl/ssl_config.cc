#include "net/ssl/ssl_config.h"

namespace net {

SslConfig::SslConfig() = default;
SslConfig::SslConfig(const SslConfig&) = default;
SslConfig& SslConfig::operator=(const SslConfig&) = default;
SslConfig::~SslConfig() = default;

}  // namespace net
