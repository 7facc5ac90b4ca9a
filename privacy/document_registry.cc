#include "privacy/document_registry.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"

namespace prewarm {

namespace {

DocumentRegistry::Result Error(int error, std::string message) {
  return {error, std::move(message)};
}

DocumentRegistry::Result UnknownDocument(std::string_view id) {
  return Error(net::ERR_UNKNOWN_DOCUMENT,
               absl::StrCat("unknown document \"", std::string(id),
                            "\" (never committed, or already ended)"));
}

absl::string_view AsAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace

DocumentRegistry::DocumentRegistry() : DocumentRegistry(Limits()) {}

DocumentRegistry::DocumentRegistry(const Limits& limits) : limits_(limits) {}

DocumentRegistry::~DocumentRegistry() {
  if (main_frame_)
    RemoveTree(main_frame_);
}

void DocumentRegistry::AddObserver(Observer* observer) {
  DCHECK(std::find(observers_.begin(), observers_.end(), observer) ==
         observers_.end());
  observers_.push_back(observer);
}

void DocumentRegistry::RemoveObserver(Observer* observer) {
  observers_.erase(std::remove(observers_.begin(), observers_.end(), observer),
                   observers_.end());
}

DocumentRegistry::Result DocumentRegistry::CommitMainFrame(
    std::string_view id,
    const net::Url& url) {
  // Every live document belongs to the page this commit ends, so any id may
  // be reused; Commit checks the URL before ending anything.
  return Commit(id, url, /*parent=*/nullptr);
}

DocumentRegistry::Result DocumentRegistry::CommitSubframe(
    std::string_view id,
    const net::Url& url,
    std::string_view parent_id) {
  const Document* parent = Find(parent_id);
  if (!parent)
    return UnknownDocument(parent_id);
  if (Find(id)) {
    return Error(net::ERR_INVALID_ARGUMENT,
                 absl::StrCat("document id \"", std::string(id),
                              "\" is already in use"));
  }
  if (documents_.size() >= limits_.max_documents) {
    return Error(net::ERR_INSUFFICIENT_RESOURCES,
                 absl::StrCat("subframe \"", std::string(id),
                              "\" refused: a page may have at most ",
                              limits_.max_documents, " documents"));
  }
  if (parent->depth() >= limits_.max_frame_depth) {
    return Error(
        net::ERR_INSUFFICIENT_RESOURCES,
        absl::StrCat("subframe \"", std::string(id),
                     "\" refused: frames may "
                     "nest at most ",
                     limits_.max_frame_depth, " levels below the main frame"));
  }
  return Commit(id, url, parent);
}

DocumentRegistry::Result DocumentRegistry::Commit(std::string_view id,
                                                  const net::Url& url,
                                                  const Document* parent) {
  if (id.empty())
    return Error(net::ERR_INVALID_ARGUMENT, "empty document id");
  if (!url.is_valid()) {
    return Error(url.error(),
                 absl::StrCat("document \"", std::string(id),
                              "\": invalid URL: ", url.error_message()));
  }
  if (!url.SchemeIsHttpOrHttps()) {
    return Error(net::ERR_DISALLOWED_URL_SCHEME,
                 absl::StrCat("document \"", std::string(id), "\": ",
                              url.spec(), " is not an http or https URL"));
  }
  if (!parent && main_frame_)
    RemoveTree(main_frame_);
  auto document =
      std::unique_ptr<Document>(new Document(std::string(id), url, parent));
  if (parent)
    children_[parent].insert(document.get());
  else
    main_frame_ = document.get();
  documents_[std::string(id)] = std::move(document);
  return {};
}

DocumentRegistry::Result DocumentRegistry::OnLoadEvent(std::string_view id) {
  auto it = documents_.find(AsAbsl(id));
  if (it == documents_.end())
    return UnknownDocument(id);
  it->second->set_load_phase(LoadPhase::kLoaded);
  return {};
}

DocumentRegistry::Result DocumentRegistry::Remove(std::string_view id) {
  const Document* document = Find(id);
  if (!document)
    return UnknownDocument(id);
  RemoveTree(document);
  return {};
}

const Document* DocumentRegistry::Find(std::string_view id) const {
  auto it = documents_.find(AsAbsl(id));
  return it == documents_.end() ? nullptr : it->second.get();
}

void DocumentRegistry::RemoveTree(const Document* root) {
  // Pre-order with an explicit stack; walked backwards it puts every child
  // before its parent.
  std::vector<const Document*> order;
  std::vector<const Document*> stack = {root};
  while (!stack.empty()) {
    const Document* document = stack.back();
    stack.pop_back();
    order.push_back(document);
    auto children = children_.find(document);
    if (children != children_.end())
      stack.insert(stack.end(), children->second.begin(),
                   children->second.end());
  }
  if (const Document* parent = root->parent()) {
    auto siblings = children_.find(parent);
    siblings->second.erase(root);
    if (siblings->second.empty())
      children_.erase(siblings);
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const Document* document = *it;
    NotifyRemoved(*document);
    children_.erase(document);
    if (document == main_frame_)
      main_frame_ = nullptr;
    documents_.erase(document->id());
  }
}

void DocumentRegistry::NotifyRemoved(const Document& document) {
  // Observers may add or remove observers while being told.
  std::vector<Observer*> observers = observers_;
  for (Observer* observer : observers) {
    if (std::find(observers_.begin(), observers_.end(), observer) !=
        observers_.end()) {
      observer->OnDocumentRemoved(document);
    }
  }
}

}  // namespace prewarm
