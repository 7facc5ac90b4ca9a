#ifndef PRIVACY_DOCUMENT_REGISTRY_H_
#define PRIVACY_DOCUMENT_REGISTRY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "net/base/url.h"
#include "privacy/document.h"

namespace prewarm {

// The frame tree of one page (one tab): the current main-frame document and
// its subframes, by id. Committing a main frame ends the previous main-frame
// document and all its frames, as a top-level navigation does; removing a
// document removes its subframes too. Owns every Document; a Document pointer
// handed out stays valid until that document is removed (observers hear about
// it just before). Lives on the network thread.
//
// A client (a page, or whoever drives the IPC) picks the shape of the tree, so
// the registry bounds it: at most `max_documents` live documents and frames at
// most `max_frame_depth` levels below the main frame; a commit past either is
// refused with ERR_INSUFFICIENT_RESOURCES. Each document's children are
// indexed, and teardown walks the tree with an explicit stack, so removing a
// tree costs time linear in its size and no stack depth, whatever its shape.
class DocumentRegistry {
 public:
  // Told about each document just before it is destroyed, children before
  // their parent, so dependants (pending preconnects) can cancel.
  class Observer {
   public:
    virtual void OnDocumentRemoved(const Document& document) = 0;

   protected:
    virtual ~Observer() = default;
  };

  // An error code and a message naming the id at fault; error OK on success.
  struct Result {
    int error = 0;
    std::string message;
    bool ok() const { return error == 0; }
  };

  struct Limits {
    // Blink's limit on frames in one page (Page::kMaxNumberOfFrames).
    size_t max_documents = 1000;
    // Far deeper than any real page nests iframes.
    size_t max_frame_depth = 64;
  };

  DocumentRegistry();
  explicit DocumentRegistry(const Limits& limits);
  DocumentRegistry(const DocumentRegistry&) = delete;
  DocumentRegistry& operator=(const DocumentRegistry&) = delete;
  ~DocumentRegistry();

  // Observers must outlive the registry or remove themselves first.
  void AddObserver(Observer* observer);
  void RemoveObserver(Observer* observer);

  // Errors: ERR_INVALID_ARGUMENT for an empty id or, for a subframe, an id
  // already live (a main-frame commit may reuse any: it ends them all),
  // ERR_INVALID_URL / ERR_DISALLOWED_URL_SCHEME for a URL that is not a valid
  // http(s) URL, ERR_UNKNOWN_DOCUMENT for an unknown parent,
  // ERR_INSUFFICIENT_RESOURCES for a subframe past max_documents or
  // max_frame_depth (nothing changes then).
  Result CommitMainFrame(std::string_view id, const net::Url& url);
  Result CommitSubframe(std::string_view id,
                        const net::Url& url,
                        std::string_view parent_id);

  // The load event: LOADING -> LOADED. ERR_UNKNOWN_DOCUMENT for an unknown id.
  Result OnLoadEvent(std::string_view id);

  // Removes the document and its subframes. ERR_UNKNOWN_DOCUMENT for an
  // unknown id.
  Result Remove(std::string_view id);

  // Null for an id that is not live.
  const Document* Find(std::string_view id) const;
  // The current main-frame document; null before the first commit.
  const Document* main_frame() const { return main_frame_; }
  size_t size() const { return documents_.size(); }
  const Limits& limits() const { return limits_; }

 private:
  Result Commit(std::string_view id,
                const net::Url& url,
                const Document* parent);
  // Removes `document` and its descendants, children first. Iterative.
  void RemoveTree(const Document* document);
  void NotifyRemoved(const Document& document);

  const Limits limits_;
  absl::flat_hash_map<std::string, std::unique_ptr<Document>> documents_;
  // The live children of each document that has any.
  absl::flat_hash_map<const Document*, absl::flat_hash_set<const Document*>>
      children_;
  const Document* main_frame_ = nullptr;
  std::vector<Observer*> observers_;
};

}  // namespace prewarm

#endif  // PRIVACY_DOCUMENT_REGISTRY_H_
