/*
 * cunwu.js - small static script for cunwu sites (loaded by extra_javascript
 * after Material's bundle, at the end of <body>). Plain ES5 so that it still
 * runs on old WeChat/X5 kernels that cannot parse Material's bundle.
 *
 * 1. Notice status by the reader's date. Elements with class "notice-status"
 *    and ISO dates in data-start / data-end (YYYY-MM-DD, both days inclusive,
 *    either may be absent) get their text set to
 *      未开始 (before data-start), 公示中 (between), 已结束 (after data-end)
 *    and data-state="pending" | "open" | "closed" plus the matching
 *    cw-badge--pending|open|closed class for the colour. The text and class
 *    printed at build time stay as the fallback when JavaScript is off or the
 *    dates are malformed.
 *
 * 2. No request may leave the site. Material's bundle fetches two things
 *    from unpkg.com at run time; both are defused here, before Material mounts
 *    its components on DOMContentLoaded:
 *    - a ResizeObserver polyfill when the browser has none (iOS < 13.4,
 *      old Android WebViews): a minimal local stand-in is provided instead;
 *    - mermaid.js for <pre class="mermaid"> blocks: the class is removed, so
 *      the block stays plain preformatted text.
 *
 * 3. Search, loaded when opened: the header's link to search.html (the list
 *    of records) becomes the search panel where search can run; the code and
 *    the index are fetched only then (cunwu-search.js, Pagefind).
 *
 * 4. 长辈模式: the switch links to #cw-big / #cw-std (CSS :target works
 *    without script); the choice is kept in localStorage and applied as
 *    html.cw-big on every page. The day a page is printed fills
 *    [data-cw-today] in the print header.
 */
(function () {
  "use strict";

  var doc = document;

  /* ------------------------------------------------ ResizeObserver shim */

  if (typeof window.ResizeObserver === "undefined") {
    var LocalResizeObserver = function (callback) {
      var self = this;
      self.targets = [];
      self.callback = callback;
      self.fire = function () {
        var entries = [];
        for (var i = 0; i < self.targets.length; i++)
          entries.push(entry(self.targets[i]));
        if (entries.length)
          self.callback(entries, self);
      };
    };

    var entry = function (el) {
      return { target: el, contentRect: el.getBoundingClientRect() };
    };

    var listen = function (observer, on) {
      var method = on ? "addEventListener" : "removeEventListener";
      window[method]("resize", observer.fire);
      window[method]("orientationchange", observer.fire);
      window[method]("load", observer.fire);
    };

    LocalResizeObserver.prototype.observe = function (el) {
      var self = this;
      if (self.targets.indexOf(el) === -1) {
        self.targets.push(el);
        if (self.targets.length === 1)
          listen(self, true);
      }
      setTimeout(function () {
        if (self.targets.indexOf(el) !== -1)
          self.callback([entry(el)], self);
      }, 0);
    };

    LocalResizeObserver.prototype.unobserve = function (el) {
      var i = this.targets.indexOf(el);
      if (i !== -1) {
        this.targets.splice(i, 1);
        if (!this.targets.length)
          listen(this, false);
      }
    };

    LocalResizeObserver.prototype.disconnect = function () {
      if (this.targets.length)
        listen(this, false);
      this.targets = [];
    };

    window.ResizeObserver = LocalResizeObserver;
  }

  /* ------------------------------------------------------ mermaid guard */

  var diagrams = doc.querySelectorAll("pre.mermaid");
  for (var m = 0; m < diagrams.length; m++)
    diagrams[m].className = diagrams[m].className.replace(/\bmermaid\b/g, "");

  /* ------------------------------------------------------------- search */

  /* The header's search control is a link to search.html, the village's
     records by section and year: that is what it opens with JavaScript off,
     in a browser without ES modules or WebAssembly, and from disk (file://).
     Where search can run, a tap opens the search panel instead and only then
     loads its code (cunwu-search.js), which loads Pagefind and the index chunks
     a query needs: a visit that does not search downloads none of it. A page
     opened from a result (...?cw-q=words) loads it to mark the words. */
  var assetBase = "";
  var tags = doc.getElementsByTagName("script");
  for (var t = 0; t < tags.length; t++) {
    if (/(^|\/)assets\/cunwu\.js(\?|$)/.test(tags[t].getAttribute("src") || "")) {
      assetBase = tags[t].src.replace(/cunwu\.js(\?.*)?$/, "");
      break;
    }
  }
  var searchable = assetBase && /^https?:$/.test(location.protocol) &&
    "noModule" in doc.createElement("script") && typeof WebAssembly === "object";

  var waiting = null;
  var withSearch = function (then) {
    if (window.cunwuSearch) {
      then(window.cunwuSearch);
      return;
    }
    if (waiting) {
      waiting.push(then);
      return;
    }
    waiting = [then];
    var s = doc.createElement("script");
    s.src = assetBase + "cunwu-search.js";
    s.onload = function () {
      for (var i = 0; window.cunwuSearch && i < waiting.length; i++)
        waiting[i](window.cunwuSearch);
      waiting = [];
    };
    doc.body.appendChild(s);
  };

  var opener = doc.querySelector("a[data-cw-search]");
  if (searchable) {
    if (opener) {
      opener.addEventListener("click", function (ev) {
        ev.preventDefault();
        withSearch(function (search) { search.open(); });
      });
    }
    if (doc.querySelector("[data-cw-search-here]"))
      withSearch(function (search) { search.open(); });
    if (/[?&]cw-q=/.test(location.search))
      withSearch(function (search) { search.mark(); });
  }

  /* ------------------------------------------------------ notice status */

  var DATE = /^\d{4}-\d{2}-\d{2}/;
  var LABELS = { pending: "未开始", open: "公示中", closed: "已结束" };

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /* The reader's local calendar day as YYYY-MM-DD; ISO dates compare as
     strings, which avoids Date.parse treating "YYYY-MM-DD" as UTC. */
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  /* Returns "" for absent, null for malformed, else the YYYY-MM-DD day. */
  function day(el, name) {
    var value = el.getAttribute(name);
    if (value === null || value.replace(/\s+/g, "") === "")
      return "";
    var match = DATE.exec(value.replace(/^\s+/, ""));
    return match ? match[0] : null;
  }

  function noticeState(start, end, now) {
    if (start && now < start)
      return "pending";
    if (end && now > end)
      return "closed";
    return "open";
  }

  function updateNotices() {
    var now = today();
    var els = doc.querySelectorAll(".notice-status");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var start = day(el, "data-start");
      var end = day(el, "data-end");
      if (start === null || end === null || (!start && !end))
        continue;
      if (start && end && end < start)
        continue;
      var state = noticeState(start, end, now);
      el.setAttribute("data-state", state);
      el.className = (" " + el.className + " ")
        .replace(/\scw-badge--(?:pending|open|closed)(?=\s)/g, " ")
        .replace(/^\s+|\s+$/g, "")
        .replace(/\s+/g, " ") + " cw-badge--" + state;
      el.textContent = LABELS[state];
    }
  }

  updateNotices();

  /* Re-run when Material swaps the page (only with navigation.instant). */
  if (window.document$ && typeof window.document$.subscribe === "function")
    window.document$.subscribe(updateNotices);

  /* Exposed for tests and for pages that add notices later. */
  window.cunwuUpdateNotices = updateNotices;

  /* ------------------------------------------------ 长辈模式 (large text)

     The switch is a plain link to #cw-big (CSS :target works without this
     script); here the choice is remembered across pages and visits in
     localStorage and shown as html.cw-big. #cw-std switches it off. */
  var BIG = "cunwu-big";

  function store(on) {
    try {
      if (on) window.localStorage.setItem(BIG, "1");
      else window.localStorage.removeItem(BIG);
    } catch (e) { /* private mode: this page only */ }
  }

  function stored() {
    try { return window.localStorage.getItem(BIG) === "1"; } catch (e) { return false; }
  }

  function applyBig() {
    var hash = window.location.hash;
    if (hash === "#cw-big") store(true);
    else if (hash === "#cw-std") store(false);
    var root = doc.documentElement;
    var on = stored() || hash === "#cw-big";
    root.className = (" " + root.className + " ").replace(/\scw-big(?=\s)/g, " ")
      .replace(/^\s+|\s+$/g, "") + (on ? " cw-big" : "");
  }

  applyBig();
  window.addEventListener("hashchange", applyBig);

  /* Printed pages name the day they were printed. */
  function printDay() {
    var now = new Date();
    var els = doc.querySelectorAll("[data-cw-today]");
    for (var i = 0; i < els.length; i++)
      els[i].textContent = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function pad(n) { return n < 10 ? "0" + n : "" + n; }

  window.addEventListener("beforeprint", printDay);
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    if (printing.addListener) printing.addListener(function (m) { if (m.matches) printDay(); });
  }
})();
