/*
 * cunwu-pagefind.js - the one ES module of the site: loads Pagefind's runtime
 * from this site's own search bundle (../pagefind/, made by cunwu/site/search.py)
 * and hands it to the search box (cunwu-search.js, plain ES5) through a window
 * property and an event. Loaded only when a reader opens search.
 */
import * as pagefind from "../pagefind/pagefind.js";

var root = new URL("../", import.meta.url);

pagefind.options({ baseUrl: root.pathname, excerptLength: 24 })
  .then(function () { return pagefind.init(); })
  .then(function () {
    window.cunwuPagefind = pagefind;
    window.dispatchEvent(new Event("cunwu-pagefind"));
  }, function (err) {
    window.cunwuPagefindError = String(err);
    window.dispatchEvent(new Event("cunwu-pagefind"));
  });
