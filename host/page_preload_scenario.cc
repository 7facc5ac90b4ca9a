#include "host/page_preload_scenario.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "preconnect/preconnect_request.h"
#include "proto/scenario_conversions.h"
#include "service/ipc_conversions.h"

namespace prewarm {

scenario::Scenario PagePreloadScenario(
    const std::string& page_url,
    const PageScan& scan,
    const std::vector<scenario::Fetch>& script_fetches) {
  scenario::Scenario result;
  result.set_name("page-preloads");
  result.set_description(page_url);
  scenario::Step* navigate = result.add_steps();
  navigate->mutable_navigate()->set_document("page");
  navigate->mutable_navigate()->set_url(page_url);

  absl::flat_hash_set<std::string> preloaded;
  for (const PagePreload& preload : scan.preloads) {
    scenario::Preload* step = result.add_steps()->mutable_preload();
    step->set_document("page");
    step->set_url(preload.url);
    step->set_as(preload.as);
    step->set_crossorigin(CrossOriginToScenario(CrossOriginAttributeFromString(
        preload.crossorigin
            ? std::optional<std::string_view>(*preload.crossorigin)
            : std::nullopt)));
    step->set_integrity(preload.integrity);
    preloaded.insert(preload.url);
  }
  for (const Subresource& subresource : scan.subresources) {
    if (!preloaded.contains(subresource.url) ||
        subresource.kind == SubresourceKind::kIframe) {
      continue;
    }
    scenario::Step* step = result.add_steps();
    step->set_at_ms(50);
    scenario::Fetch* fetch = step->mutable_fetch();
    fetch->set_document("page");
    fetch->set_url(subresource.url);
    fetch->set_mode(RequestModeToScenario(subresource.mode));
    fetch->set_credentials(CredentialsModeToScenario(subresource.credentials));
    fetch->set_destination(SubresourceKindToString(subresource.kind));
    fetch->set_integrity(subresource.integrity);
  }
  for (const scenario::Fetch& fetch : script_fetches) {
    scenario::Step* step = result.add_steps();
    step->set_at_ms(100);
    *step->mutable_fetch() = fetch;
    step->mutable_fetch()->set_document("page");
  }
  return result;
}

}  // namespace prewarm
