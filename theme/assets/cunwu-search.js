/*
 * cunwu-search.js - the search box of a cunwu site (plain ES5), loaded by
 * cunwu.js only when a reader opens search or arrives from a result.
 *
 * - Runtime and index: Pagefind (../pagefind/, made from the built HTML by
 *   cunwu/site/search.py), loaded through the module cunwu-pagefind.js. It
 *   fetches only the index chunks and result fragments a query needs.
 * - Scope: a village site searches its own index; "全县各村" opens the
 *   portal's search with the query (../search.html?q=...). The portal's index
 *   is one index of every village's records (made when the county is
 *   published), filtered by township and village (the lists come from the
 *   portal's search-sites.json).
 * - The query is segmented here, the same way in every browser: Pagefind uses
 *   Intl.Segmenter when the browser has it, and Chromium-86-era WeChat browsers
 *   do not; words are split at punctuation and between digits, letters and
 *   Chinese ("2026年10月" -> 2026 年 10 月, "记-005" -> 记 005).
 * - Synonyms from the one table (cunwu/site/synonyms.py, as
 *   pagefind/cunwu-synonyms.json): a query word of a group is searched as
 *   each word of the group that this index's records contain (the file lists
 *   the absent ones: every word looked up costs an index chunk); the snippet
 *   shows the record's own words.
 * - Ranking for a villager: the whole query in a record's title first, then in
 *   its text, then the rest; newer records first among equal matches; a
 *   single character (村, 记, 组) alone is looked for in titles only, and next
 *   to other words it is left to the exact-match check instead of matching
 *   every word that starts with it.
 * - The opened page marks the searched words (?cw-q=...).
 */
(function () {
  "use strict";

  var doc = document;
  var win = window;
  if (win.cunwuSearch)
    return;

  /* ------------------------------------------------------------ where */

  var ASSETS = (function () {
    var scripts = doc.getElementsByTagName("script");
    for (var i = scripts.length - 1; i >= 0; i--) {
      var src = scripts[i].src || "";
      if (/cunwu-search\.js(\?|$)/.test(src))
        return src.replace(/cunwu-search\.js(\?.*)?$/, "");
    }
    return "";
  })();
  var ROOT = ASSETS.replace(/assets\/$/, "");                 /* this site's root URL */
  var PORTAL = !!doc.querySelector('link[href$="cunwu-portal.css"]');
  var COUNTY_ROOT = PORTAL ? ROOT : new URL("../", ROOT).href;   /* the portal, above a village */
  var OWN_FOLDER = PORTAL ? "" : (new URL(ROOT).pathname.match(/([^\/]+)\/$/) || ["", ""])[1];
  var PAGE = 7;        /* results shown at a time: a phone shows about three a screen, and
                          each result costs its fragment (about 1 KB) */
  var NEWEST = 2;      /* the newest matches ranked with the best-scoring ones */

  /* ------------------------------------------------------------ helpers */

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls)
      e.className = cls;
    if (text)
      e.appendChild(doc.createTextNode(text));
    return e;
  }

  function getJSON(url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url, true);
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4)
        return;
      var data = null;
      if (xhr.status === 200) {
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = null; }
      }
      done(data);
    };
    xhr.send();
  }

  function unescapeHtml(s) {
    return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"")
      .replace(/&#0?39;|&#x27;/g, "'").replace(/&amp;/g, "&");
  }

  /* Full-width letters, digits and signs (an IME in full-width mode) to ASCII. */
  function normalize(q) {
    var out = "";
    for (var i = 0; i < q.length; i++) {
      var c = q.charCodeAt(i);
      if (c >= 0xFF01 && c <= 0xFF5E)
        out += String.fromCharCode(c - 0xFEE0);
      else if (c === 0x3000)
        out += " ";
      else
        out += q.charAt(i);
    }
    return out.toLowerCase().replace(/^\s+|\s+$/g, "");
  }

  function compact(s) {
    return normalize(s).replace(/\s+/g, "");
  }

  var CJK = "\u3400-\u9fff\uf900-\ufaff";
  var PIECE = new RegExp("[0-9]+|[a-z]+|[" + CJK + "]+", "g");
  var CJK_ONLY = new RegExp("^[" + CJK + "]+$");

  /* ------------------------------------------------------ the query */

  var synonyms = [];
  var absent = {};

  function parse(raw) {
    var q = normalize(raw);
    var month = "";
    var m = /(\d{4})\s*(?:年|-|\/|\.)\s*(\d{1,2})\s*月?/.exec(q);
    if (m && +m[2] >= 1 && +m[2] <= 12) {
      month = m[1] + "-" + (m[2].length < 2 ? "0" : "") + m[2];
      q = q.replace(m[0], " ");
    }
    var words = q.match(PIECE) || [];
    var single = words.length > 0;
    for (var i = 0; i < words.length; i++)
      if (!(words[i].length === 1 && CJK_ONLY.test(words[i])))
        single = false;
    if (!single) {   /* 记 in 记-005, 年 in 2026年: left to the exact-match check */
      var kept = [];
      for (var j = 0; j < words.length; j++)
        if (!(words[j].length === 1 && CJK_ONLY.test(words[j])))
          kept.push(words[j]);
      words = kept;
    }
    return { raw: raw, phrase: compact(raw), words: words, month: month, single: single };
  }

  /* The query as every synonym of its words: [[word, ...], ...], the typed
     one first. Words of the group that no record here contains are left out
     (the typed one too): they would only fetch index chunks. */
  function variants(words) {
    for (var i = 0; i < words.length; i++) {
      for (var g = 0; g < synonyms.length; g++) {
        var group = synonyms[g];
        if (group.indexOf(words[i]) === -1)
          continue;
        var out = [];
        var alts = [words[i]].concat(group);
        for (var k = 0; k < alts.length; k++) {
          if (absent[alts[k]] || (k > 0 && alts[k] === words[i]))
            continue;
          var v = words.slice();
          v[i] = alts[k];
          out.push(v);
        }
        return out.length ? out : [words];   /* one word's group: the rest stay as typed */
      }
    }
    return [words];
  }

  /* Where Pagefind's index has one long word and the query another split,
     a retry with two-character pieces finds it. */
  function split2(words) {
    var out = [];
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (w.length > 2 && CJK_ONLY.test(w)) {
        for (var k = 0; k < w.length; k += 2)
          out.push(w.substr(k, 2));
      } else {
        out.push(w);
      }
    }
    return out;
  }

  /* ------------------------------------------------------ Pagefind */

  var pf = null;
  var sites = null;        /* search-sites.json, or [] */

  /* The runtime and the synonym table, both before the first query. */
  function loadPagefind(done) {
    if (pf)
      return done(pf);
    var waiting = 2;
    var finish = function () {
      if (--waiting === 0)
        done(pf);
    };
    var ready = function () {
      win.removeEventListener("cunwu-pagefind", ready);
      pf = win.cunwuPagefind || null;
      finish();
    };
    win.addEventListener("cunwu-pagefind", ready);
    var s = el("script");
    s.type = "module";
    s.src = ASSETS + "cunwu-pagefind.js";
    s.onerror = ready;
    doc.head.appendChild(s);
    getJSON(ROOT + "pagefind/cunwu-synonyms.json", function (data) {
      if (data && data.groups)
        synonyms = data.groups;
      for (var i = 0; data && data.absent && i < data.absent.length; i++)
        absent[data.absent[i]] = true;
      finish();
    });
  }

  function loadSites(done) {
    if (sites)
      return done(sites);
    getJSON(COUNTY_ROOT + "search-sites.json", function (data) {
      sites = data && data.length ? data : [];
      done(sites);
    });
  }

  /* The county's search, on the portal, with this query. */
  function countyUrl(query) {
    return COUNTY_ROOT + "search.html" + (query ? "?q=" + encodeURIComponent(query) : "");
  }

  function ownVillage() {
    for (var i = 0; sites && i < sites.length; i++)
      if (sites[i].path === OWN_FOLDER + "/")
        return sites[i].village;
    return "";
  }

  /* All result ids with their best score and newest-first rank. */
  function runVariants(list, filters, done) {
    var jobs = [];
    for (var i = 0; i < list.length; i++) {
      var term = list[i].length ? list[i].join(" ") : null;
      jobs.push(pf.search(term, { filters: filters }));
      jobs.push(pf.search(term, { filters: filters, sort: { date: "desc" } }));
    }
    Promise.all(jobs).then(function (all) {
      var byId = {};
      var order = [];
      for (var j = 0; j < all.length; j++) {
        var res = (all[j] && all[j].results) || [];
        var variant = list[j >> 1];
        for (var r = 0; r < res.length; r++) {
          var hit = byId[res[r].id];
          if (!hit) {
            hit = byId[res[r].id] = { id: res[r].id, result: res[r], score: 0, newest: 1e9, words: variant };
            order.push(hit);
          }
          if (j % 2 === 1) {
            hit.newest = Math.min(hit.newest, r);
          } else if (res[r].score > hit.score || (j === 0 && hit.score === 0)) {
            hit.score = res[r].score;
            hit.result = res[r];
            hit.words = variant;
          }
        }
      }
      done(order);
    }, function () { done([]); });
  }

  /* ------------------------------------------------------ ranking */

  function tier(hit, phrases, single) {
    var title = compact(hit.data.meta.title || "");
    var text = compact(hit.data.content || "");
    for (var i = 0; i < phrases.length; i++)
      if (phrases[i] && title.indexOf(phrases[i]) !== -1)
        return 0;
    if (single)
      return 3;
    for (var k = 0; k < phrases.length; k++)
      if (phrases[k] && text.indexOf(phrases[k]) !== -1)
        return 1;
    return 2;
  }

  function byDate(a, b) {
    var da = a.data.meta.sortdate || "", db = b.data.meta.sortdate || "";
    return da < db ? 1 : da > db ? -1 : b.score - a.score;
  }

  /* Tier first; inside a tier, scores within 15 % of the best remaining are
     "equal relevance" and go newest first. */
  function rank(hits, phrases, single) {
    var tiers = [[], [], [], []];
    for (var i = 0; i < hits.length; i++) {
      hits[i].tier = tier(hits[i], phrases, single);
      tiers[hits[i].tier].push(hits[i]);
    }
    var out = [];
    for (var t = 0; t < tiers.length; t++) {
      if (single && t === 3 && out.length)
        break;   /* one character: titles only, unless no title has it */
      var rest = tiers[t].sort(function (a, b) { return b.score - a.score; });
      while (rest.length) {
        var lead = rest[0].score;
        var same = [], other = [];
        for (var k = 0; k < rest.length; k++)
          (rest[k].score >= lead * 0.85 ? same : other).push(rest[k]);
        out = out.concat(same.sort(byDate));
        rest = other;
      }
    }
    return out;
  }

  function loadData(hits, done) {
    var jobs = [];
    for (var i = 0; i < hits.length; i++) {
      (function (hit) {
        jobs.push(hit.data ? Promise.resolve() : hit.result.data().then(function (d) {
          d.meta = d.meta || {};
          d.meta.sortdate = (d.meta.date || "").replace(/^(\d{4})年(\d{1,2})月.*$/, function (all, y, m) {
            return y + "-" + (m.length < 2 ? "0" : "") + m;
          }).replace(/^(\d{4})年度?$/, "$1-12");
          hit.data = d;
        }));
      })(hits[i]);
    }
    Promise.all(jobs).then(done, done);
  }

  /* ------------------------------------------------------ the panel */

  var ui = null;
  var state = { seq: 0, hits: [], shown: 0, phrases: [], single: false, query: null };

  function build(host, overlay) {
    var box = el("div", "cw-search" + (overlay ? " cw-search--overlay" : ""));
    box.setAttribute("role", overlay ? "dialog" : "search");
    box.setAttribute("aria-label", "搜索");
    var form = el("form", "cw-search__form");
    form.setAttribute("role", "search");
    var input = el("input", "cw-search__input");
    input.type = "search";
    input.setAttribute("enterkeyhint", "search");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-label", "搜索");
    input.placeholder = PORTAL ? "搜索全县各村公开内容" : "搜索本村公开内容";
    var go = el("button", "cw-search__go", "搜索");
    go.type = "submit";
    form.appendChild(input);
    form.appendChild(go);
    if (overlay) {
      var close = el("button", "cw-search__close", "关闭");
      close.type = "button";
      close.onclick = hide;
      form.appendChild(close);
    }
    box.appendChild(form);

    var scope = el("div", "cw-search__scope");
    box.appendChild(scope);
    box.setAttribute("data-state", "loading");
    var status = el("p", "cw-search__status", "正在打开搜索……");
    status.setAttribute("aria-live", "polite");
    box.appendChild(status);
    var list = el("ol", "cw-search__results");
    box.appendChild(list);
    var more = el("button", "cw-search__more", "显示更多结果");
    more.type = "button";
    more.style.display = "none";
    box.appendChild(more);
    var index = el("a", "cw-search__index", PORTAL ? "各村公开内容目录" : "本村全部公开内容目录");
    index.href = ROOT + "search.html";
    box.appendChild(index);

    host.appendChild(box);
    ui = { box: box, form: form, input: input, scope: scope, status: status, list: list, more: more,
           village: "", township: "" };

    var timer = null;
    var run = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(input.value); }, 250);
    };
    input.addEventListener("input", function (ev) {
      if (!ev.isComposing)     /* not while pinyin is being composed */
        run();
    });
    input.addEventListener("compositionend", run);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      search(input.value);
      input.blur();            /* hide the phone keyboard to show the results */
    });
    more.onclick = function () { showMore(); };
    doc.addEventListener("keydown", function (ev) {
      if (ev.keyCode === 27 && overlay)
        hide();
    });
    return ui;
  }

  function select(label, options, onchange) {
    var wrap = el("label", "cw-search__filter");
    wrap.appendChild(el("span", "", label));
    var s = el("select");
    for (var i = 0; i < options.length; i++) {
      var o = el("option", "", options[i][1]);
      o.value = options[i][0];
      s.appendChild(o);
    }
    s.onchange = function () { onchange(s.value); };
    wrap.appendChild(s);
    return wrap;
  }

  function fillScope() {
    loadSites(function (list) {
      if (!list.length)
        return;   /* a village site on its own: itself only */
      if (!PORTAL) {
        var own = ownVillage();
        var pick = select("范围", [["village", "只搜本村" + (own ? "（" + own + "）" : "")], ["county", "全县各村"]],
          function (value) {
            if (value === "county")
              location.href = countyUrl(ui.input.value);
          });
        ui.scope.appendChild(pick);
        return;
      }
      var towns = [["", "全部乡镇"]];
      var seen = {};
      for (var i = 0; i < list.length; i++) {
        if (!seen[list[i].township]) {
          seen[list[i].township] = true;
          towns.push([list[i].township, list[i].township]);
        }
      }
      var villages = el("span");
      var fillVillages = function () {
        villages.innerHTML = "";
        var opts = [["", "全部村"]];
        for (var k = 0; k < list.length; k++)
          if (!ui.township || list[k].township === ui.township)
            opts.push([list[k].village, list[k].village]);
        villages.appendChild(select("村", opts, function (value) { ui.village = value; rerun(); }));
      };
      ui.scope.appendChild(select("乡镇", towns, function (value) {
        ui.township = value;
        ui.village = "";
        fillVillages();
        rerun();
      }));
      ui.scope.appendChild(villages);
      fillVillages();
    });
  }

  function rerun() {
    if (ui.input.value)
      search(ui.input.value);
  }

  function filtersFor(month) {
    var f = {};
    if (month)
      f["月份"] = month;
    if (PORTAL) {
      if (ui.township)
        f["乡镇"] = ui.township;
      if (ui.village)
        f["村"] = ui.village;
    }
    return f;
  }

  /* data-state on the panel: "loading", "ready", "busy" (a query runs),
     "done" (its results are shown); for readers' assistive tools and tests. */
  function say(text, state) {
    ui.status.textContent = text;
    if (state)
      ui.box.setAttribute("data-state", state);
  }

  function search(raw) {
    var seq = ++state.seq;
    var q = parse(raw || "");
    ui.list.innerHTML = "";
    ui.more.style.display = "none";
    if (!q.words.length && !q.month) {
      say(raw && raw.replace(/\s+/g, "") ? "请输入文字或数字。" : "输入要找的字词，例如：修路、低保、记-005、2026年10月。", "done");
      return;
    }
    if (!pf) {
      say("搜索没有打开。请用下面的目录查找。", "done");
      return;
    }
    say("正在搜索……", "busy");
    var start = function () {
      var list = q.words.length ? variants(q.words) : [[]];
      var filters = filtersFor(q.month);
      runVariants(list, filters, function (hits) {
        if (seq !== state.seq)
          return;
        if (!hits.length && q.words.join("") !== split2(q.words).join(" ").replace(/ /g, "") ) {
          runVariants(variants(split2(q.words)), filters, function (again) {
            if (seq === state.seq)
              show(q, again, list);
          });
          return;
        }
        show(q, hits, list);
      });
    };
    start();
  }

  function show(q, hits, list) {
    var seq = state.seq;
    var phrases = [];
    for (var i = 0; i < list.length; i++) {
      var p = q.phrase;
      for (var w = 0; w < q.words.length; w++)
        if (list[i][w] !== q.words[w])
          p = p.replace(q.words[w], list[i][w]);
      if (phrases.indexOf(p) === -1)
        phrases.push(p);
    }
    /* Candidates: the best by score and the newest, so that recent records
       are not cut off by a long tail of old ones with a few more hits. */
    var byScore = hits.slice().sort(function (a, b) { return b.score - a.score; });
    var byNew = hits.slice().sort(function (a, b) { return a.newest - b.newest; });
    var pick = [];
    var add = function (h) { if (pick.indexOf(h) === -1) pick.push(h); };
    for (var k = 0; k < Math.min(PAGE, byScore.length); k++)
      add(byScore[k]);
    /* A newer record joins only if it could stand among equals of the ones
       shown (ranking puts scores within 15 % together, newest first); the
       rest wait for "more", each result costing its fragment. */
    var floor = pick.length ? pick[pick.length - 1].score * 0.85 : 0;
    for (var n = 0; n < Math.min(NEWEST, byNew.length); n++)
      if (byNew[n].score >= floor)
        add(byNew[n]);
    state.rest = byScore.slice(PAGE);
    state.phrases = phrases;
    state.query = q;
    state.total = hits.length;
    loadData(pick, function () {
      if (seq !== state.seq)
        return;
      state.hits = rank(pick, phrases, q.single);
      state.shown = 0;
      ui.list.innerHTML = "";
      showMore(true);
    });
  }

  function showMore(first) {
    var q = state.query;
    if (!first && state.rest && state.rest.length) {
      var next = [];
      while (state.rest.length && next.length < PAGE) {
        var h = state.rest.shift();
        if (state.hits.indexOf(h) === -1)
          next.push(h);
      }
      var seq = state.seq;
      loadData(next, function () {
        if (seq !== state.seq)
          return;
        state.hits = state.hits.concat(rank(next, state.phrases, q.single));
        showMore(true);
      });
      return;
    }
    var end = Math.min(state.hits.length, state.shown + PAGE);
    for (var i = state.shown; i < end; i++)
      ui.list.appendChild(item(state.hits[i]));
    state.shown = end;
    var hidden = q.single ? 0 : (state.rest ? state.rest.length : 0) + state.hits.length - state.shown;
    ui.more.style.display = hidden > 0 ? "" : "none";
    if (!state.hits.length) {
      say("没有找到“" + q.raw + "”。可以换个说法，或在下面的目录里查找。", "done");
    } else {
      say("找到 " + (q.single ? state.hits.length : state.total) + " 条" +
          (q.single ? "（标题里有“" + q.raw + "”的）" : "") + "。", "done");
    }
  }

  function item(hit) {
    var d = hit.data;
    var li = el("li", "cw-result");
    var a = el("a", "cw-result__link");
    a.appendChild(el("span", "cw-result__title", d.meta.title || d.url));
    var meta = [];
    if (d.meta.village)
      meta.push(d.meta.village);
    if (d.meta.date)
      meta.push(d.meta.date);
    if (d.meta.section)
      meta.push(d.meta.section);
    if (meta.length)
      a.appendChild(el("span", "cw-result__meta", meta.join(" · ")));
    var p = el("p", "cw-result__snippet");
    var parts = (d.excerpt || "").split(/<(\/?)mark>/);
    var seen = [];
    var marked = false;
    for (var i = 0; i < parts.length; i++) {
      if (i % 2 === 1) {
        marked = parts[i] !== "/";
        continue;
      }
      if (!parts[i])
        continue;
      var text = doc.createTextNode(unescapeHtml(parts[i]));
      if (marked) {
        var m = el("mark");
        m.appendChild(text);
        p.appendChild(m);
        if (seen.indexOf(text.nodeValue) === -1)
          seen.push(text.nodeValue);
      } else {
        p.appendChild(text);
      }
    }
    a.appendChild(p);
    /* The opened page marks the record's own words that matched (from the
       snippet's marks), else the words searched. */
    var words = seen.length ? seen : hit.words;
    a.href = d.url + (words.length ? (d.url.indexOf("?") === -1 ? "?" : "&") + "cw-q=" +
      encodeURIComponent(words.join(" ")) : "");
    li.appendChild(a);
    return li;
  }

  /* ------------------------------------------------------ open / close */

  var overlayHost = null;

  function prepare(host, overlay) {
    if (!ui) {
      build(host, overlay);
      fillScope();
      loadPagefind(function (ready) {
        if (!ready) {
          say("这个浏览器打不开搜索。请用下面的目录查找。", "failed");
          return;
        }
        say("输入要找的字词，例如：修路、低保、记-005、2026年10月。", "ready");
        var asked = /[?&]q=([^&#]*)/.exec(location.search);   /* from a village's "全县各村" */
        if (asked && !ui.input.value) {
          try { ui.input.value = decodeURIComponent(asked[1].replace(/\+/g, " ")); } catch (err) { /* ignore */ }
        }
        rerun();
      });
    }
    return ui;
  }

  function open() {
    var here = doc.querySelector("[data-cw-search-here]");
    if (here) {
      prepare(here, false);
    } else {
      if (!overlayHost) {
        overlayHost = el("div", "cw-search-layer");
        doc.body.appendChild(overlayHost);
      }
      prepare(overlayHost, true);
      overlayHost.style.display = "";
      doc.documentElement.className += " cw-search-is-open";
    }
    ui.input.focus();
  }

  function hide() {
    if (overlayHost)
      overlayHost.style.display = "none";
    doc.documentElement.className = doc.documentElement.className.replace(/\s*cw-search-is-open/g, "");
  }

  /* ------------------------------------------------------ marks on the page */

  function mark() {
    var m = /[?&]cw-q=([^&#]*)/.exec(location.search);
    if (!m)
      return;
    var words;
    try { words = decodeURIComponent(m[1].replace(/\+/g, " ")).split(/\s+/); } catch (err) { return; }
    var keep = [];
    for (var i = 0; i < words.length; i++)
      if (words[i] && (words[i].length > 1 || !CJK_ONLY.test(words[i])))
        keep.push(words[i].replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    var root = doc.querySelector(".md-content__inner");
    if (!keep.length || !root)
      return;
    var re = new RegExp(keep.join("|"), "gi");
    var walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT, null, false);
    var nodes = [];
    while (walker.nextNode())
      nodes.push(walker.currentNode);
    var first = null;
    for (var n = 0; n < nodes.length; n++) {
      var node = nodes[n];
      var text = node.nodeValue;
      re.lastIndex = 0;
      if (!re.test(text) || /^(SCRIPT|STYLE|MARK)$/.test(node.parentNode.nodeName))
        continue;
      re.lastIndex = 0;
      var frag = doc.createDocumentFragment();
      var last = 0, hit;
      while ((hit = re.exec(text))) {
        frag.appendChild(doc.createTextNode(text.slice(last, hit.index)));
        var mk = el("mark", "cw-hit", hit[0]);
        frag.appendChild(mk);
        first = first || mk;
        last = hit.index + hit[0].length;
      }
      frag.appendChild(doc.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(frag, node);
    }
    if (first && !location.hash && first.scrollIntoView)
      first.scrollIntoView({ block: "center" });
  }

  win.cunwuSearch = { open: open, hide: hide, mark: mark, search: function (q) { ui.input.value = q; search(q); } };
})();
