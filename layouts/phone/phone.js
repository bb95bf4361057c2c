/* The phone guide's script: open now, filter by need, search.
 *
 * The page is complete without it. With it, each entry says whether it is
 * open at the moment of reading (Europe/Paris wall clock), from the data the
 * renderer embeds (calais_guide/render/phone.py). The rules are those of
 * calais_guide/hours.py, in the same order, with the same names; the tests
 * check this port against hours.py in Chromium (tests/test_phone_browser.py).
 *
 * Moments are minutes since 1970-01-01 00:00 of the wall clock (no time zone:
 * schedules are written in local time, as in hours.py). */
(function () {
  "use strict";

  var MINUTES_PER_DAY = 1440;
  var END_OF_DAY = 23 * 60 + 59; /* "24:00" is read as 23:59: until midnight */
  var RANK = { open: 0, closed: 1, mobile: 2, unknown: 3, closure: 4, inactive: 5 };

  function dayNumber(iso) {
    var p = iso.split("-");
    return Math.round(Date.UTC(+p[0], +p[1] - 1, +p[2]) / 864e5);
  }
  function minuteOf(hm) {
    return +hm.slice(0, 2) * 60 + +hm.slice(3, 5);
  }
  function weekday(day) { /* 0 = Monday, as byday and Python's weekday() */
    return (((day + 3) % 7) + 7) % 7;
  }
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function isoDay(day) {
    var d = new Date(day * 864e5);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
  }
  function isoMoment(moment) {
    if (moment === null) return null;
    var day = Math.floor(moment / MINUTES_PER_DAY), m = moment - day * MINUTES_PER_DAY;
    return isoDay(day) + "T" + pad(Math.floor(m / 60)) + ":" + pad(m % 60);
  }
  function hm(moment, padHours) {
    var m = moment - Math.floor(moment / MINUTES_PER_DAY) * MINUTES_PER_DAY;
    var h = Math.floor(m / 60);
    return (padHours === false ? String(h) : pad(h)) + ":" + pad(m % 60);
  }

  /* Entries as embedded, with dates and times turned into numbers once. */
  function prepare(entry) {
    function d(iso) { return iso === null ? null : dayNumber(iso); }
    function t(text) { return text === null ? null : minuteOf(text); }
    return {
      id: entry.id,
      status: entry.status,
      closures: entry.closures.map(function (c) { return { from: d(c.from), to: d(c.to) }; }),
      locations: entry.locations.map(function (loc) {
        return {
          kind: loc.kind,
          schedules: loc.schedules.map(function (s) {
            return { days: s.days, opens: t(s.opens), closes: t(s.closes), from: d(s.from), to: d(s.to) };
          }),
          exceptions: loc.exceptions.map(function (x) {
            return { from: d(x.from), to: d(x.to), closed: x.closed, opens: t(x.opens), closes: t(x.closes) };
          })
        };
      })
    };
  }

  function inRange(day, start, end) {
    return (start === null || start <= day) && (end === null || day <= end);
  }
  function closureOn(entry, day) {
    for (var i = 0; i < entry.closures.length; i++) {
      var c = entry.closures[i];
      if (inRange(day, c.from, c.to)) return c;
    }
    return null;
  }
  function exceptionOn(loc, day) {
    for (var i = 0; i < loc.exceptions.length; i++) {
      var x = loc.exceptions[i];
      if (inRange(day, x.from, x.to === null ? x.from : x.to)) return x;
    }
    return null;
  }
  function dayHours(loc, day, entry) {
    if (entry && closureOn(entry, day)) return [];
    var x = exceptionOn(loc, day);
    if (x) {
      if (x.closed || x.opens === null || x.closes === null) return [];
      return [{ opens: x.opens, closes: x.closes }];
    }
    var code = weekday(day);
    var slots = loc.schedules.filter(function (s) {
      return s.days.indexOf(code) >= 0 && inRange(day, s.from, s.to);
    });
    slots.sort(function (a, b) { return a.opens - b.opens || a.closes - b.closes; });
    return slots;
  }
  function covers(slot, minute) {
    if (slot.closes === END_OF_DAY) return slot.opens <= minute;
    return slot.opens <= minute && minute < slot.closes;
  }
  function slotEnd(day, slot) {
    if (slot.closes === END_OF_DAY) return (day + 1) * MINUTES_PER_DAY;
    return day * MINUTES_PER_DAY + slot.closes;
  }
  function nextOpening(loc, when, entry, lookahead) {
    var today = Math.floor(when / MINUTES_PER_DAY);
    for (var offset = 0; offset <= lookahead; offset++) {
      var day = today + offset, slots = dayHours(loc, day, entry);
      for (var i = 0; i < slots.length; i++) {
        var start = day * MINUTES_PER_DAY + slots[i].opens;
        if (start > when) return start;
      }
    }
    return null;
  }
  function state(name, extra) {
    var s = { state: name, until: null, next: null, location: null };
    for (var k in extra) s[k] = extra[k];
    return s;
  }
  function entryClosed(entry, when, lookahead) {
    if (entry.status === "closed") return state("inactive");
    var day = Math.floor(when / MINUTES_PER_DAY), closure = closureOn(entry, day);
    if (entry.status === "temporarily-closed") return state("closure");
    if (closure) {
      var next = null;
      if (closure.to !== null) {
        var start = (closure.to + 1) * MINUTES_PER_DAY;
        entry.locations.forEach(function (loc) {
          var n = nextOpening(loc, start, entry, lookahead);
          if (n !== null && (next === null || n < next)) next = n;
        });
      }
      return state("closure", { next: next });
    }
    return null;
  }
  function locationState(loc, index, when, entry, lookahead) {
    var closed = entryClosed(entry, when, lookahead);
    if (closed) return state(closed.state, { next: closed.next, location: index });
    if (!loc.schedules.length) {
      return state(loc.kind === "mobile" ? "mobile" : "unknown", { location: index });
    }
    var day = Math.floor(when / MINUTES_PER_DAY), minute = when - day * MINUTES_PER_DAY;
    var slots = dayHours(loc, day, entry);
    for (var i = 0; i < slots.length; i++) {
      if (covers(slots[i], minute)) {
        return state("open", { until: slotEnd(day, slots[i]), location: index });
      }
    }
    return state("closed", { next: nextOpening(loc, when, entry, lookahead), location: index });
  }
  /* Open if any place is open (the one closing last); otherwise closed with the
   * soonest next opening; otherwise mobile or unknown (hours.entry_state). */
  function entryState(entry, when, lookahead) {
    var closed = entryClosed(entry, when, lookahead);
    if (closed) return closed;
    if (!entry.locations.length) return state("unknown");
    var states = entry.locations.map(function (loc, i) {
      return locationState(loc, i, when, entry, lookahead);
    });
    var best = null;
    states.forEach(function (s) {
      if (s.state === "open" && (best === null || s.until > best.until)) best = s;
    });
    if (best) return best;
    var scheduled = states.filter(function (s) { return s.state === "closed"; });
    if (scheduled.length) {
      scheduled.forEach(function (s) {
        if (s.next !== null && (best === null || s.next < best.next)) best = s;
      });
      return best || scheduled[0];
    }
    states.forEach(function (s) {
      if (best === null || RANK[s.state] < RANK[best.state]) best = s;
    });
    return best;
  }

  /* -- the moment of reading ------------------------------------------------ */

  /* Wall-clock minutes in zone `tz` at the instant `date` (DST included). */
  function wallClock(date, tz) {
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-GB", {
        timeZone: tz, hourCycle: "h23", hour12: false, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit"
      }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
      var day = dayNumber(parts.year + "-" + parts.month + "-" + parts.day);
      return day * MINUTES_PER_DAY + (+parts.hour % 24) * 60 + +parts.minute;
    } catch (e) { /* no time zone data: the phone's own clock */
      return dayNumber(date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" +
        pad(date.getDate())) * MINUTES_PER_DAY + date.getHours() * 60 + date.getMinutes();
    }
  }
  var LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})$/;
  var INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/;
  /* ?at=2023-03-06T15:00 (Paris wall clock) or an instant with its offset. */
  function readMoment(text, tz) {
    var m = LOCAL.exec(text);
    if (m && +m[2] < 24 && +m[3] < 60) return dayNumber(m[1]) * MINUTES_PER_DAY + +m[2] * 60 + +m[3];
    if (INSTANT.test(text)) {
      var date = new Date(text);
      if (!isNaN(date.getTime())) return wallClock(date, tz);
    }
    return null;
  }

  /* -- search: the folding of calais_guide/search.py ------------------------- */

  function folder(tables) {
    function u(code) { return "\\u" + ("000" + code.toString(16)).slice(-4); }
    var ranges = tables.combining.map(function (r) { return u(r[0]) + "-" + u(r[1]); }).join("");
    var combining = new RegExp("[" + ranges + "]", "g"); /* BMP only: no "u" flag needed */
    var drop = {};
    Array.from(tables["delete"]).forEach(function (c) { drop[c] = true; });
    return function fold(text) {
      var out = "";
      Array.from(text.normalize("NFKC")).forEach(function (c) {
        out += Object.prototype.hasOwnProperty.call(tables.casefold, c) ? tables.casefold[c] : c.toLowerCase();
      });
      var result = "";
      Array.from(out.normalize("NFD").replace(combining, "")).forEach(function (c) {
        if (drop[c]) return;
        result += Object.prototype.hasOwnProperty.call(tables.map, c) ? tables.map[c] : c;
      });
      return result;
    };
  }
  /* Words as Python's \w+ finds them. Built at run time: an old browser
   * without Unicode property escapes falls back to splitting on spaces and
   * punctuation, instead of failing to parse the whole script. */
  var FALLBACK_WORD = /[^\s!-\/:-@[-^`{-~\u00a0-\u00bf\u060c\u061b\u061f\u066a-\u066d\u06d4\u1361-\u1368\u2000-\u206f]+/g;
  var WORD = FALLBACK_WORD;
  try {
    WORD = new RegExp("[\\p{L}\\p{N}_]+", "gu");
  } catch (e) { /* an old browser: split on spaces and punctuation */ }
  var ARTICLE = "\u0627\u0644";
  function variants(word) {
    if (word.indexOf(ARTICLE) === 0 && word.length >= 5 && word[2] >= "\u0600" && word[2] <= "\u06ff") {
      return [word, word.slice(2)];
    }
    return [word];
  }
  /* A query word matches an indexed word as in search._candidates: exactly
   * (with or without the Arabic article), as the start of a longer word
   * (3 letters or more), or with up to two more letters at its end. */
  function wordMatches(word, key) {
    if (variants(word).indexOf(key) >= 0) return true;
    if (word.length < 3 || key.indexOf(" ") >= 0) return false;
    if (key.indexOf(word) === 0) return true;
    return key.length >= 4 && word.indexOf(key) === 0 && word.length - key.length <= 2;
  }
  function searcher(data, fold) {
    var ignore = {};
    data.ignore.forEach(function (w) { ignore[w] = true; });
    function words(text) {
      return (fold(text).match(WORD) || []).filter(function (w) { return w !== "_"; });
    }
    /* Entry id -> how many query words (and phrases) it matches. */
    return function search(query) {
      var all = words(query);
      var kept = all.filter(function (w) { return !ignore[w]; });
      if (!kept.length) kept = all;
      var phrase = " " + kept.join(" ") + " ";
      var counts = {};
      Object.keys(data.words).forEach(function (id) {
        var own = data.words[id], terms = [];
        data.entries[id].forEach(function (c) { terms = terms.concat(data.categories[c] || []); });
        var count = 0;
        kept.forEach(function (w) {
          var hit = own.some(function (k) { return wordMatches(w, k); }) ||
            terms.some(function (k) { return wordMatches(w, k); });
          if (hit) count++;
        });
        terms.forEach(function (t) {
          var n = t.split(" ").length;
          if (n >= 2 && n <= 3 && phrase.indexOf(" " + t + " ") >= 0) count++;
        });
        if (count) counts[id] = count;
      });
      return { words: kept, counts: counts };
    };
  }

  var api = {
    hm: hm, prepare: prepare, entryState: entryState, readMoment: readMoment, wallClock: wallClock,
    isoMoment: isoMoment, folder: folder, searcher: searcher, fallbackWord: FALLBACK_WORD
  };
  window.calaisGuide = api;

  /* -- the page ----------------------------------------------------------------- */

  var source = document.getElementById("guide-data");
  if (!source) return;
  var D = JSON.parse(source.textContent);
  /* Writes interface string `key` into `el`, its placeholders filled with
   * `values`: strings, or elements (dates and times, isolated left to right). */
  function fill(el, key, values) {
    el.textContent = "";
    D.ui[key].split(/(%\(\w+\)s)/).forEach(function (part) {
      var name = /^%\((\w+)\)s$/.exec(part);
      var value = name ? values[name[1]] : part;
      el.appendChild(typeof value === "string" ? document.createTextNode(value) : value);
    });
  }
  function ltr(text) {
    var bdi = document.createElement("bdi");
    bdi.setAttribute("dir", "ltr");
    bdi.textContent = text;
    return bdi;
  }
  function clock(moment) {
    return ltr(hm(moment, D.pad_hours));
  }
  function byAttr(name, value) {
    return Array.prototype.slice.call(document.querySelectorAll("[" + name + '="' + value + '"]'));
  }

  var params = new URLSearchParams(location.search);
  var asked = params.get("at"), now = null;
  if (asked) now = readMoment(asked, D.tz);
  var atNotice = document.getElementById("at-notice");
  if (now !== null) {
    var d = Math.floor(now / MINUTES_PER_DAY);
    fill(atNotice, "at", { day: D.days[weekday(d)], date: ltr(isoDay(d)), time: clock(now) });
    atNotice.hidden = false;
  } else {
    if (asked) { fill(atNotice, "bad_at", {}); atNotice.hidden = false; }
    now = wallClock(new Date(), D.tz);
  }
  var today = Math.floor(now / MINUTES_PER_DAY);
  if (today >= dayNumber(D.valid_until)) document.getElementById("expired").hidden = false;

  /* The state of an entry in words, written into `el`. */
  function label(el, s) {
    if (s.state === "open") {
      var end = s.until % MINUTES_PER_DAY === 0 ? ltr("24:00") : clock(s.until);
      return fill(el, "open_until", { time: end });
    }
    if (s.state === "closed" && s.next !== null) {
      var day = Math.floor(s.next / MINUTES_PER_DAY);
      if (day === today) return fill(el, "opens_today", { time: clock(s.next) });
      if (day === today + 1) return fill(el, "opens_tomorrow", { time: clock(s.next) });
      return fill(el, "opens_day", { day: D.days[weekday(day)], time: clock(s.next) });
    }
    fill(el, s.state === "closed" ? "closed_now" : s.state, {});
  }
  D.entries.forEach(function (raw) {
    var s = entryState(prepare(raw), now, D.lookahead);
    var entry = document.getElementById("entry-" + raw.id);
    [entry].concat(byAttr("data-entry", raw.id)).forEach(function (el) {
      if (!el) return;
      el.setAttribute("data-state", s.state);
      if (s.until !== null) el.setAttribute("data-until", isoMoment(s.until));
      if (s.next !== null) el.setAttribute("data-next", isoMoment(s.next));
    });
    byAttr("data-state-of", raw.id).forEach(function (el) { label(el, s); });
  });

  /* -- filter by need, search --------------------------------------------------- */

  var tools = document.getElementById("tools"), box = document.getElementById("q");
  var count = document.getElementById("count"), showAll = document.getElementById("show-all");
  var needs = Array.prototype.slice.call(document.querySelectorAll("section.need"));
  var entries = Array.prototype.slice.call(document.querySelectorAll("article.entry"));
  var search = searcher(D.search, folder(D.fold));
  tools.hidden = false;

  var openOnly = document.getElementById("open-only"), shown = { need: null, found: null };
  /* Shows the sections of `need` (null: all) or the entries `found` by a
   * search (null: none asked); with "open now" ticked, only what is open. */
  function show(need, found) {
    shown = { need: need, found: found };
    var onlyOpen = openOnly.checked;
    function closed(el) { return onlyOpen && el.getAttribute("data-state") !== "open"; }
    needs.forEach(function (section) {
      var rows = Array.prototype.slice.call(section.querySelectorAll("li.service"));
      rows.forEach(function (row) { row.hidden = closed(row); });
      section.hidden = !!found || (need !== null && section.getAttribute("data-need") !== need) ||
        rows.every(function (row) { return row.hidden; });
    });
    entries.forEach(function (article) {
      var id = article.id.slice(6);
      var hidden = found ? !found[id] :
        need !== null && (" " + article.getAttribute("data-needs") + " ").indexOf(" " + need + " ") < 0;
      article.hidden = hidden || closed(article);
    });
    document.body.setAttribute("data-filter", found ? "search" : need !== null ? "need" : "none");
    showAll.hidden = !found && need === null && !onlyOpen;
  }
  function runSearch(query) {
    var result = search(query);
    if (!result.words.length) { count.textContent = ""; show(null, null); return; }
    var best = 0, found = {}, n = 0;
    Object.keys(result.counts).forEach(function (id) { best = Math.max(best, result.counts[id]); });
    Object.keys(result.counts).forEach(function (id) {
      if (result.counts[id] === best) { found[id] = true; n++; }
    });
    fill(count, n ? "found" : "nothing", { count: String(n) });
    show(null, found);
  }
  function fromHash() {
    var m = /^#need-([a-z0-9-]+)$/.exec(location.hash);
    if (m && document.getElementById("need-" + m[1])) { box.value = ""; count.textContent = ""; show(m[1], null); }
  }
  box.addEventListener("input", function () { runSearch(box.value); });
  openOnly.addEventListener("change", function () { show(shown.need, shown.found); });
  showAll.addEventListener("click", function () {
    box.value = ""; count.textContent = ""; openOnly.checked = false; show(null, null);
    if (/^#need-/.test(location.hash)) history.replaceState(null, "", location.pathname + location.search);
  });
  window.addEventListener("hashchange", fromHash);
  if (params.get("open") === "now") openOnly.checked = true;
  var q = params.get("q");
  if (q) { box.value = q; runSearch(q); } else { show(null, null); fromHash(); }
})();
