// A throwaway certificate authority with a server and a client certificate, made with the
// openssl CLI (EC P-256, valid for 2 days). The server certificate names DNS:localhost and
// IP:127.0.0.1.
//
//   const TlsCertificates& certs = TlsCertificates::shared();   // made once per process
//   RedisServer server{{.tls = true}};                          // uses the same files
//   options.tls.ca_file = certs.ca_cert();
#pragma once

#include <filesystem>

#include "redwire/test/temp_dir.hpp"

namespace redwire::test {

class TlsCertificates {
 public:
  /// Generates a new CA and certificates in a fresh temporary directory; throws with openssl's
  /// output on failure.
  TlsCertificates();

  /// One set per process, created on first use.
  static const TlsCertificates& shared();

  const std::filesystem::path& dir() const noexcept { return dir_.path(); }
  std::filesystem::path ca_cert() const { return dir() / "ca.crt"; }
  std::filesystem::path ca_key() const { return dir() / "ca.key"; }
  std::filesystem::path server_cert() const { return dir() / "server.crt"; }
  std::filesystem::path server_key() const { return dir() / "server.key"; }
  std::filesystem::path client_cert() const { return dir() / "client.crt"; }
  std::filesystem::path client_key() const { return dir() / "client.key"; }

 private:
  TempDir dir_{"redwire-tls"};
};

}  // namespace redwire::test
