#include "redwire/test/tls_certificates.hpp"

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "redwire/test/child_process.hpp"

namespace redwire::test {
namespace {

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult r = run_command(argv, std::chrono::seconds(30));
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : argv) cmd += a + " ";
    throw std::runtime_error("TlsCertificates: '" + cmd + "' failed: " + r.out + r.err);
  }
}

void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file);
  out << text;
  if (!out) throw std::runtime_error("TlsCertificates: cannot write " + file.string());
}

}  // namespace

TlsCertificates::TlsCertificates() {
  const auto p = [this](const char* name) { return (dir() / name).string(); };
  const std::vector<std::string> ec_key{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                        "-nodes"};
  std::vector<std::string> ca{
      "req",     "-x509",     "-days", "2",        "-subj", "/CN=redwire-test-ca",
      "-keyout", p("ca.key"), "-out",  p("ca.crt")};
  ca.insert(ca.begin() + 2, ec_key.begin(), ec_key.end());
  openssl(ca);

  write_file(dir() / "server.ext",
             "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  write_file(dir() / "client.ext", "extendedKeyUsage=clientAuth\n");
  for (const std::string who : {"server", "client"}) {
    std::vector<std::string> req{"req",
                                 "-subj",
                                 "/CN=redwire-test-" + who,
                                 "-keyout",
                                 p((who + ".key").c_str()),
                                 "-out",
                                 p((who + ".csr").c_str())};
    req.insert(req.begin() + 1, ec_key.begin(), ec_key.end());
    openssl(req);
    openssl({"x509", "-req", "-in", p((who + ".csr").c_str()), "-CA", p("ca.crt"), "-CAkey",
             p("ca.key"), "-CAcreateserial", "-days", "2", "-sha256", "-extfile",
             p((who + ".ext").c_str()), "-out", p((who + ".crt").c_str())});
  }
}

const TlsCertificates& TlsCertificates::shared() {
  static const TlsCertificates certs;
  return certs;
}

}  // namespace redwire::test
