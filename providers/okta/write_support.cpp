// Okta writes that need care: retries of creates and lifecycle calls, and waits for new objects.
#include <algorithm>

#include "providers/okta/json_fields.hpp"
#include "providers/okta/writers.hpp"

namespace idform::providers::okta {
namespace {

constexpr int kCreateAttempts = 5;
constexpr int kLifecycleAttempts = 5;

bool transient(long status) { return status == 429 || status >= 500; }

// A credential Okta refuses will not be accepted on a second try.
bool authentication_failed(const Error& error) { return error.category == ErrorCategory::auth; }

}  // namespace

const plan::AttributeChange* attribute(const plan::Change& change, std::string_view path) {
  for (const plan::AttributeChange& attribute : change.attributes)
    if (attribute.path == path) return &attribute;
  return nullptr;
}

bool touches_other_than(const plan::Change& change, std::initializer_list<std::string_view> paths) {
  if (change.action == plan::Action::create) return true;
  for (const plan::AttributeChange& attribute : change.attributes) {
    if (attribute.path == "name") return true;
    if (std::find(paths.begin(), paths.end(), attribute.path) == paths.end()) return true;
  }
  return false;
}

Result<OktaResponse> write(OktaClient& okta, const std::string& method, const std::string& path,
                           const nlohmann::json& body, std::initializer_list<long> also_ok) {
  const Tuning& tuning = okta.settings().tuning;
  auto accepted = [&](long status) {
    return (status >= 200 && status < 300) || std::find(also_ok.begin(), also_ok.end(), status) != also_ok.end();
  };
  const bool lifecycle = method == "POST" && path.find("/lifecycle/") != std::string::npos;
  auto deadline = okta.clock().steady_now() + tuning.consistency_budget;
  std::string last_problem;
  for (int attempt = 0;; ++attempt) {
    auto sent = okta.call(method, path, body);
    if (!sent) {
      if (!lifecycle || attempt + 1 >= kLifecycleAttempts || authentication_failed(sent.error()))
        return std::unexpected(sent.error());
      last_problem = sent.error().summary;
    } else if (accepted(sent->status)) {
      return *sent;
    } else if (sent->status == 404 && okta.clock().steady_now() < deadline) {
      last_problem = describe_failure(method, path, *sent);  // not replicated yet: wait and see
    } else if (lifecycle && transient(sent->status) && attempt + 1 < kLifecycleAttempts) {
      last_problem = describe_failure(method, path, *sent);
    } else {
      return fail(response_error(method, path, *sent));
    }
    okta.sleep(okta.backoff(attempt, tuning.consistency_first_wait, tuning.consistency_max_wait));
  }
}

Result<nlohmann::json> create_object(OktaClient& okta, const std::string& path, const nlohmann::json& body,
                                     const Finder& find_existing) {
  const Tuning& tuning = okta.settings().tuning;
  std::string last_problem;
  for (int attempt = 0; attempt < kCreateAttempts; ++attempt) {
    if (attempt > 0) okta.sleep(okta.backoff(attempt, tuning.consistency_first_wait, tuning.consistency_max_wait));
    auto sent = okta.call("POST", path, body);
    if (sent && sent->ok()) return sent->body;
    if (!sent && authentication_failed(sent.error())) return std::unexpected(sent.error());
    if (sent && !transient(sent->status)) return fail(response_error("POST", path, *sent));
    last_problem = sent ? describe_failure("POST", path, *sent) : sent.error().summary;
    // The POST may or may not have happened: look before trying again. A new object can take a
    // moment to show, so look a few times.
    for (int look = 0; look < 3; ++look) {
      nlohmann::json existing = IDFORM_TRY(find_existing());
      if (!existing.is_null()) return existing;
      okta.sleep(okta.backoff(look, tuning.consistency_first_wait, tuning.consistency_max_wait));
    }
  }
  return fail("could not create the object after " + std::to_string(kCreateAttempts) + " attempts", last_problem);
}

Result<void> wait_until_visible(OktaClient& okta, const std::string& path) {
  const Tuning& tuning = okta.settings().tuning;
  auto deadline = okta.clock().steady_now() + tuning.consistency_budget;
  for (int attempt = 0;; ++attempt) {
    OktaResponse response = IDFORM_TRY(okta.call("GET", path));
    if (response.ok()) return {};
    if (response.status != 404) return fail(response_error("GET", path, response));
    if (okta.clock().steady_now() >= deadline)
      return fail("the change was applied but is not visible after " +
                      std::to_string(tuning.consistency_budget.count() / 1000) + " s (replication delay)",
                  "GET " + path + " still answers 404");
    okta.sleep(okta.backoff(attempt, tuning.consistency_first_wait, tuning.consistency_max_wait));
  }
}

Result<std::vector<std::string>> resolve_all(const IdResolver& ids, const std::vector<std::string>& references) {
  std::vector<std::string> out;
  for (const std::string& reference : references) out.push_back(IDFORM_TRY(ids.id_of(reference)));
  return out;
}

}  // namespace idform::providers::okta
