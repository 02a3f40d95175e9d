// The join form is answered with the phone page itself rather than a redirect to it (one
// round trip fewer on a slow network), so the page arrives under the form's address. It
// takes its own at once, before any other module reads the address: a reload or a
// bookmark then asks for the phone page and never sends the form again, and the service
// worker's scope (phone-offline.js) is the phone pages' folder.
const own = document.body.dataset.pageUrl;
if (own && window.location.pathname !== own) {
  window.history.replaceState(window.history.state, "", own + window.location.hash);
}
