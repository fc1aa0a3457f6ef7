// TLS for a Connection: the ssl::context cache shared by links with the same files, the TLS
// handshake after TCP connect, and the translation of TLS stream errors into what the user sees.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <asio/bind_executor.hpp>
#include <asio/ip/address.hpp>
#include <asio/ssl/context.hpp>
#include <asio/ssl/error.hpp>
#include <asio/ssl/stream.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>

#include "detail/connection_internal.hpp"
#include "redwire/detail/connection.hpp"
#include "redwire/error.hpp"

namespace redwire::detail {
namespace {
// OpenSSL's queued errors as one line (and the queue emptied).
std::string openssl_errors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

std::shared_ptr<asio::ssl::context> make_tls_context(const TlsOptions& t, std::string& detail) {
  ERR_clear_error();
  auto fail = [&](std::string what) -> std::shared_ptr<asio::ssl::context> {
    detail = std::move(what);
    return nullptr;
  };
  std::error_code fs_ec;
  if (!t.ca_file.empty() && !std::filesystem::is_regular_file(t.ca_file, fs_ec)) {
    return fail("TLS ca_file '" + t.ca_file + "' is not a readable file");
  }
  if (!t.ca_dir.empty() && !std::filesystem::is_directory(t.ca_dir, fs_ec)) {
    return fail("TLS ca_dir '" + t.ca_dir + "' is not a directory");
  }
  if (t.cert_file.empty() != t.key_file.empty()) {
    return fail("TLS cert_file and key_file go together (mutual TLS needs both)");
  }
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX* native = ctx->native_handle();
  // An encrypted key would make OpenSSL prompt on the terminal: refuse instead.
  SSL_CTX_set_default_passwd_cb(native, [](char*, int, int, void*) { return 0; });
  const long min_version = t.min_version == TlsVersion::tls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (SSL_CTX_ctrl(native, SSL_CTRL_SET_MIN_PROTO_VERSION, min_version, nullptr) != 1) {
    return fail("TLS min_version not supported: " + openssl_errors());
  }
  if (t.ca_file.empty() && t.ca_dir.empty()) {
    if (SSL_CTX_set_default_verify_paths(native) != 1) {
      return fail("cannot load the system trust store: " + openssl_errors());
    }
  } else if (SSL_CTX_load_verify_locations(native, t.ca_file.empty() ? nullptr : t.ca_file.c_str(),
                                           t.ca_dir.empty() ? nullptr : t.ca_dir.c_str()) != 1) {
    return fail("cannot load TLS CA certificates from '" + t.ca_file + t.ca_dir +
                "': " + openssl_errors());
  }
  if (!t.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(native, t.cert_file.c_str()) != 1) {
      return fail("cannot load TLS cert_file '" + t.cert_file + "': " + openssl_errors());
    }
    if (SSL_CTX_use_PrivateKey_file(native, t.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      return fail("cannot load TLS key_file '" + t.key_file +
                  "' (PEM, unencrypted): " + openssl_errors());
    }
    if (SSL_CTX_check_private_key(native) != 1) {
      return fail("TLS key_file does not match cert_file: " + openssl_errors());
    }
  }
  return ctx;
}
}  // namespace

// One context per distinct set of files while any link uses it: a client's pool, subscriber
// and blocking links (and a cluster's node links) share it; files are read once.
std::shared_ptr<asio::ssl::context> shared_tls_context(const TlsOptions& t, std::string& detail) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<asio::ssl::context>> contexts;
  std::string key = t.ca_file;
  for (const std::string* part : {&t.ca_dir, &t.cert_file, &t.key_file}) {
    key += '\0';
    key += *part;
  }
  key += '\0';
  key += t.min_version == TlsVersion::tls1_3 ? "1.3" : "1.2";
  std::lock_guard lock(mutex);
  std::erase_if(contexts, [](const auto& entry) { return entry.second.expired(); });
  if (auto it = contexts.find(key); it != contexts.end()) {
    if (auto ctx = it->second.lock()) return ctx;
  }
  auto ctx = make_tls_context(t, detail);
  if (ctx) contexts[key] = ctx;
  return ctx;
}

// After TCP connect, before the Redis handshake; bounded by the connect timer (which closes
// the socket, aborting the handshake).
void Connection::start_tls(std::uint64_t gen) {
  auto link = std::make_shared<TlsLink>(std::move(tcp_), *tls_context_);
  SSL* ssl = link->stream.native_handle();
  const std::string& name =
      options_.tls.server_name.empty() ? connect_host_ : options_.tls.server_name;
  std::error_code not_ip;
  (void)asio::ip::make_address(name, not_ip);
  if (not_ip) {  // SNI carries host names only (RFC 6066)
    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(name.c_str()));
  }
  if (options_.tls.verify_peer) {
    SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    int ok = 0;
    if (not_ip) {
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      ok = X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
    } else {
      ok = X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
    }
    if (ok != 1) {
      return link_failed(gen, make_error_code(errc::tls_handshake_failed),
                         "TLS: cannot verify against the name '" + name + "'");
    }
  } else {
    SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
  }
  tls_ = link;
  tls_handshaking_ = true;
  link->stream.async_handshake(
      asio::ssl::stream_base::client,
      asio::bind_executor(strand_, [self = shared_from_this(), gen, link](std::error_code ec) {
        if (gen != self->generation_) return;
        self->tls_handshaking_ = false;
        if (ec) {
          std::string detail;
          const std::error_code e = self->tls_error(ec, detail);
          return self->link_failed(gen, e, std::move(detail));
        }
        self->on_connected(gen);
      }));
}

// Turns an error of the TLS stream (during or after the handshake) into what the user sees.
std::error_code Connection::tls_error(std::error_code ec, std::string& detail) const {
  if (ec == asio::ssl::error::stream_truncated) ec = asio::error::eof;  // closed, no close_notify
  const bool ssl_error = ec.category() == asio::error::get_ssl_category();
  if (ready_ || (!tls_handshaking_ && !ssl_error)) {  // the TCP link dropped: a connection loss
    if (!ready_ && (ec == asio::error::eof || ec == asio::error::connection_reset)) {
      // TLS 1.3 servers check the client certificate after the client's handshake is done.
      detail = "TLS link to " + endpoint_ +
               " closed during the Redis handshake (a client certificate required?)";
    }
    return ec;
  }
  const std::string where = "TLS handshake with " + endpoint_ + ": ";
  const long verify = tls_ ? SSL_get_verify_result(tls_->stream.native_handle()) : X509_V_OK;
  if (ssl_error && verify != X509_V_OK) {
    detail = where + "certificate verification failed: " + X509_verify_cert_error_string(verify);
    if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH) {
      detail += " (the certificate does not name '" +
                (options_.tls.server_name.empty() ? connect_host_ : options_.tls.server_name) +
                "'; see TlsOptions::server_name)";
    }
  } else if (ec == asio::error::eof || ec == asio::error::connection_reset) {
    detail = where + "the server closed the connection (not a TLS port?)";
  } else {
    detail = where + ec.message();
  }
  return make_error_code(errc::tls_handshake_failed);
}

}  // namespace redwire::detail
