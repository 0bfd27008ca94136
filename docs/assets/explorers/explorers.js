/* The site's interactive explorers. Only pages with an explorer load this file: its
 * <script> is part of each explorer's HTML fragment (docs/includes/explorer-*.html), so
 * Material's instant navigation runs it when it brings such a page in; it may run more
 * than once, and everything below is set up once.
 * Sections: shared helpers (lazy start, SVG plot); depth x scale explorer; initialisation explorer. */

/* ---- shared helpers ---- */
/* An explorer is revealed at once (it is hidden without JavaScript, leaving the static
 * figure), but fetches its data and draws only when it comes within NEAR_PX of the
 * viewport, so a visit that never scrolls there downloads none of it.
 *
 * Plots are drawn at the container's real pixel width, so text stays readable on a phone;
 * colours come from CSS classes (see explorers.css), so a light/dark switch recolours
 * the plot without redrawing it.
 */
(function () {
  "use strict";

  if (window.explorerPlot) return;

  var SVG = "http://www.w3.org/2000/svg";
  var NEAR_PX = 800;  // about one screen ahead: the data is there before the reader is
  var SUPERSCRIPT = { "-": "\u207b", "0": "\u2070", "1": "\u00b9", "2": "\u00b2", "3": "\u00b3",
    "4": "\u2074", "5": "\u2075", "6": "\u2076", "7": "\u2077", "8": "\u2078", "9": "\u2079" };
  var registry = {};

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function superscript(n) {
    return String(n).split("").map(function (c) { return SUPERSCRIPT[c] || c; }).join("");
  }

  /* 1.53 × 10⁴⁴, the way the prose writes numbers (`sci:3`). */
  function sci(value, digits) {
    if (value === 0 || !isFinite(value)) return String(value);
    var parts = value.toExponential(digits - 1).split("e");
    var exponent = parseInt(parts[1], 10);
    if (exponent >= -2 && exponent <= 3) return String(Number(value.toPrecision(digits)));
    return parts[0] + " \u00d7 10" + superscript(exponent);
  }

  /* Round-number ticks between lo and hi, about `count` of them. */
  function ticks(lo, hi, count, minStep) {
    var span = hi - lo, raw = Math.max(span / Math.max(count, 1), minStep || 0);
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; }).find(function (s) { return s >= raw; });
    var out = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * span; t += step) out.push(Math.round(t * 1e9) / 1e9);
    return out;
  }

  /* The plot's pixel size for a container `width` px wide (explorers.css reserves the same height). */
  function size(width) {
    width = Math.max(280, Math.round(width || 600));
    return { width: width, height: Math.round(Math.min(400, Math.max(250, width * 0.55))) };
  }

  /* A fresh plot frame inside `svg`: returns scales and the drawing group. The width is the
   * one the ResizeObserver last reported (no layout is forced here). */
  function frame(svg, opts) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var box = size(parseFloat(svg.dataset.width));
    var width = box.width, height = box.height, narrow = width < 480;
    var m = { left: narrow ? 52 : 64, right: narrow ? 10 : 18, top: 14, bottom: narrow ? 44 : 48 };
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    var x0 = opts.x[0], x1 = opts.x[1], y0 = opts.y[0], y1 = opts.y[1];
    var pw = width - m.left - m.right, ph = height - m.top - m.bottom;
    var sx = function (x) { return m.left + (x - x0) / (x1 - x0 || 1) * pw; };
    var sy = function (y) { return m.top + (1 - (y - y0) / (y1 - y0 || 1)) * ph; };
    // The data-to-pixel map, for anyone (the browser tests) reading plotted values back.
    svg.setAttribute("data-domain", JSON.stringify({ x: [x0, x1], y: [y0, y1], box: [m.left, m.left + pw, m.top, m.top + ph] }));
    var axes = el("g", { "class": "explorer-axes" }, svg);
    el("rect", { x: m.left, y: m.top, width: pw, height: ph, "class": "explorer-frame" }, axes);
    ticks(x0, x1, narrow ? 4 : 7, 1).forEach(function (t) {
      el("line", { x1: sx(t), x2: sx(t), y1: m.top + ph, y2: m.top + ph + 5, "class": "explorer-tick" }, axes);
      el("text", { x: sx(t), y: m.top + ph + 18, "text-anchor": "middle", "class": "explorer-ticklabel" }, axes)
        .textContent = opts.xTickLabel ? opts.xTickLabel(t) : String(t);
    });
    ticks(y0, y1, narrow ? 5 : 7, 1).forEach(function (t) {
      el("line", { x1: m.left, x2: m.left + pw, y1: sy(t), y2: sy(t), "class": "explorer-grid" }, axes);
      el("text", { x: m.left - 6, y: sy(t) + 4, "text-anchor": "end", "class": "explorer-ticklabel" }, axes)
        .textContent = opts.yTickLabel ? opts.yTickLabel(t) : String(t);
    });
    el("text", { x: m.left + pw / 2, y: height - 6, "text-anchor": "middle", "class": "explorer-axislabel" }, axes)
      .textContent = opts.xLabel;
    el("text", { x: 12, y: m.top + ph / 2, "text-anchor": "middle", "class": "explorer-axislabel",
      transform: "rotate(-90 12 " + (m.top + ph / 2) + ")" }, axes).textContent = opts.yLabel;
    var clipId = svg.id + "-clip";
    var clip = el("clipPath", { id: clipId }, svg);
    el("rect", { x: m.left, y: m.top, width: pw, height: ph }, clip);
    var body = el("g", { "clip-path": "url(#" + clipId + ")" }, svg);
    return { sx: sx, sy: sy, body: body, svg: svg, left: m.left, right: m.left + pw, top: m.top,
      bottom: m.top + ph, narrow: narrow };
  }

  /* A polyline through the finite points (x, y); returns the element. */
  function line(f, xs, ys, cls) {
    var pts = [];
    for (var i = 0; i < xs.length; i++) {
      if (isFinite(ys[i])) pts.push(f.sx(xs[i]).toFixed(1) + "," + f.sy(ys[i]).toFixed(1));
    }
    return el("polyline", { points: pts.join(" "), "class": cls, fill: "none" }, f.body);
  }

  /* The JSON a `{{ data: }}` directive links from the page (a hidden element with one link). */
  function fetchData(id) {
    var link = document.querySelector("#" + id + " a[href]");
    if (!link) return Promise.reject(new Error("no data element #" + id));
    return fetch(link.href).then(function (response) {
      if (!response.ok) throw new Error(link.href + ": HTTP " + response.status);
      return response.json();
    });
  }

  /* Call back once, when `root` comes within NEAR_PX of the viewport. */
  function whenNear(root, callback) {
    if (!window.IntersectionObserver) { callback(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      observer.disconnect();
      callback();
    }, { rootMargin: NEAR_PX + "px 0px" });
    observer.observe(root);
  }

  /* Reveal an explorer now; fetch its data and start it when near. Nothing here reads the
   * layout: on a page of formulas a forced layout is the long task to avoid. */
  function prepare(root, start) {
    if (root.dataset.phase) return;   // already waiting, loading or running
    root.dataset.phase = "waiting";
    root.hidden = false;    // explorers.css reserves the plot's height until it is drawn
    whenNear(root, function () {
      root.dataset.phase = "loading";
      fetchData(root.dataset.source).then(function (data) {
        root.dataset.phase = "running";
        start(root, data);
      }).catch(function (error) {
        root.hidden = true;           // the static figure is all the reader gets
        root.dataset.phase = "failed";
        if (window.console) console.error("explorer: " + error.message);
      });
    });
  }

  /* Draw an explorer once its width is known, and redraw it when the width changes. The
   * width comes from a ResizeObserver, which reports it after the browser's own layout. */
  function show(root, redraw, update) {
    var svg = root.querySelector(".explorer-plot svg");
    var plot = svg.parentNode;
    function sized(width) {
      if (!width || String(width) === svg.dataset.width) return;
      var first = !svg.dataset.width;
      svg.dataset.width = String(width);
      if (!first) { redraw(); return; }
      update();
      root.dataset.ready = "true";
    }
    if (!window.ResizeObserver) { sized(plot.clientWidth); return; }
    new ResizeObserver(function (entries) {
      sized(Math.round(entries[entries.length - 1].contentRect.width));
    }).observe(plot);
  }

  function initAll() {
    Object.keys(registry).forEach(function (name) {
      document.querySelectorAll("[data-explorer=" + name + "]").forEach(function (root) {
        prepare(root, registry[name]);
      });
    });
  }

  /* Start every explorer on the page so far. The script is async, so it runs in a task of its
   * own (not in the one that dispatches DOMContentLoaded, already long with Material's work).
   * Every explorer's fragment carries the script, so each explorer is parsed by the time one
   * run sees it, and Material's instant navigation re-inserts (so re-runs) it on such pages. */
  function start() { initAll(); }

  /* start(root, data) draws explorer `name` from its data. */
  function register(name, startOne) { if (!registry[name]) registry[name] = startOne; }

  window.explorerPlot = { el: el, sci: sci, superscript: superscript, ticks: ticks, frame: frame,
    line: line, show: show, register: register, start: start, nearPx: NEAR_PX };
})();

/* ---- depth x scale explorer ---- */
/* Depth × scale explorer (exploding-vanishing page): a^l for every layer l ≤ L.
 *
 * The formats' limits are not typed here: they are the `limits` dict that
 * snippets/exploding_vanishing/float_limits.py computed with np.finfo during the
 * build, linked by a `{{ data: }}` directive. The only arithmetic done here is a^l
 * itself (in float64, exact enough for the depths and scales on the sliders).
 */
(function () {
  "use strict";

  var P = window.explorerPlot;

  /* The slider's a values: `data-scale="0 0.05 0.5 0.01 1.5"` means 0 to 0.5 in steps of
   * 0.05, then on to 1.5 in steps of 0.01 (fine steps near 1, coarse ones far from it). */
  function scaleValues(spec) {
    var parts = spec.trim().split(/\s+/).map(Number), out = [parts[0]];
    for (var i = 1; i + 1 < parts.length; i += 2) {
      var step = parts[i], stop = parts[i + 1], n = Math.round((stop - out[out.length - 1]) / step);
      var from = out[out.length - 1];
      for (var k = 1; k <= n; k++) out.push(Math.round((from + k * step) * 1e6) / 1e6);
    }
    return out;
  }

  /* Say how the slider's steps run, and put a tick mark at every change of step. */
  function describeScale(input, scale, note, marks) {
    var parts = input.dataset.scale.trim().split(/\s+/), steps = [];
    for (var i = 1; i + 1 < parts.length; i += 2) steps.push("of " + parts[i] + " up to " + parts[i + 1]);
    note.textContent = "The scale slider runs from " + parts[0] + " to " + parts[parts.length - 1] + ", in steps " +
      steps.slice(0, -1).join(", ") + " and " + steps[steps.length - 1] + ": fine near 1, coarse far from it.";
    if (marks.options.length) return;
    parts.filter(function (_, k) { return k % 2 === 0; }).forEach(function (stop) {
      var option = document.createElement("option");
      option.value = String(scale.indexOf(Number(stop)));
      marks.appendChild(option);
    });
  }

  /* Smallest l ≥ 1 with exceeds(a^l), for a monotone condition; log(limit)/log(a) is a first guess. */
  function firstDepth(a, limit, exceeds) {
    var l = Math.max(1, Math.floor(Math.log(limit) / Math.log(a)) - 2);
    while (!exceeds(Math.pow(a, l))) l++;
    while (l > 1 && exceeds(Math.pow(a, l - 1))) l--;
    return l;
  }

  function start(root, limits) {
    var aInput = root.querySelector("input[name=a]");
    var lInput = root.querySelector("input[name=L]");
    var aOut = root.querySelector("output[for=" + aInput.id + "]");
    var lOut = root.querySelector("output[for=" + lInput.id + "]");
    var svg = root.querySelector(".explorer-plot svg");
    var readout = root.querySelector(".explorer-readout");
    var scale = scaleValues(aInput.dataset.scale);
    aInput.max = String(scale.length - 1);
    describeScale(aInput, scale, root.querySelector(".explorer-scale-note"), root.querySelector("datalist"));
    if (!root.dataset.touched) aInput.value = String(scale.indexOf(parseFloat(aInput.dataset.initial)));
    root.querySelectorAll("input[name=format]").forEach(function (radio) {
      if (!(radio.value in limits)) radio.closest("label").hidden = true;
    });

    function state() {
      var checked = root.querySelector("input[name=format]:checked");
      var format = checked && checked.value in limits ? checked.value : "float32";
      var largest = limits[format]["largest value"], smallest = limits[format]["smallest normal"];
      var a = scale[parseInt(aInput.value, 10)], L = parseInt(lInput.value, 10);
      var over = a > 1 ? firstDepth(a, largest, function (v) { return v > largest; }) : null;
      var under = a < 1 ? firstDepth(a, smallest, function (v) { return v < smallest; }) : null;
      return { a: a, L: L, value: Math.pow(a, L), over: over, under: under, format: format,
        largest: largest, smallest: smallest };
    }

    function describe(s) {
      var parts = [
        "<span data-key=\"power\">a<sup>L</sup> = " + s.a.toFixed(2) + "<sup>" + s.L + "</sup> \u2248 " +
          "<span data-key=\"value\" data-value=\"" + s.value + "\">" + P.sci(s.value, 3) + "</span></span>."
      ];
      var at = function (key, l) { return "<span data-key=\"" + key + "\" data-value=\"" + l + "\">L = " + l + "</span>"; };
      if (s.a === 0) {
        parts.push("With a = 0 every layer outputs exactly 0, from " + at("underflow", s.under) +
          " on: the signal is gone at once, in any format.");
      } else if (s.over !== null) {
        parts.push("Above " + s.format + "'s largest value (" + P.sci(s.largest, 3) + ") from " + at("overflow", s.over) +
          (s.over > s.L ? ", deeper than this network." : ": " + s.format + " gives inf."));
      } else if (s.under !== null) {
        parts.push("Below " + s.format + "'s smallest normal value (" + P.sci(s.smallest, 3) + ") from " +
          at("underflow", s.under) +
          (s.under > s.L ? ", deeper than this network." : ": " + s.format + " loses precision, then gives 0."));
      } else {
        parts.push("<span data-key=\"flat\">With a = 1 every layer keeps the size: nothing explodes or vanishes.</span>");
      }
      return parts.join(" ");
    }

    function draw(s) {
      var logA = Math.log10(s.a), end = s.a === 0 ? -Infinity : s.L * logA;
      var top = Math.log10(s.largest), bottom = Math.log10(s.smallest);
      // Always show the format's normal range and the whole (finite) curve, with room for the
      // labels beyond the limits: 6 decades, or a tenth of the span on a long axis.
      var low = Math.min(0, isFinite(end) ? end : 0, bottom), high = Math.max(0, end, top);
      var pad = Math.max(6, (high - low) / 10);
      var lo = Math.floor((low - pad) / 10) * 10, hi = Math.ceil((high + pad) / 10) * 10;
      var f = P.frame(svg, {
        x: [0, s.L], y: [lo, hi],
        xLabel: "layer l", yLabel: "activation size a\u02e1 (log scale)",
        yTickLabel: function (t) { return "10" + P.superscript(t); },
      });
      var sy = function (y) { return isFinite(y) ? f.sy(y) : f.bottom; };  // 0 sits below a log axis
      P.el("rect", { x: f.left, width: f.right - f.left, y: f.sy(top), height: f.sy(bottom) - f.sy(top),
        "class": "explorer-band" }, f.body);
      P.el("line", { x1: f.left, x2: f.right, y1: f.sy(top), y2: f.sy(top), "class": "explorer-limit explorer-limit--max" }, f.body);
      P.el("line", { x1: f.left, x2: f.right, y1: f.sy(bottom), y2: f.sy(bottom), "class": "explorer-limit explorer-limit--min" }, f.body);
      P.el("text", { x: f.left + 6, y: f.sy(top) - 5, "class": "explorer-note" }, f.body).textContent =
        s.format + " largest " + P.sci(s.largest, 3);
      P.el("text", { x: f.left + 6, y: f.sy(bottom) + 14, "class": "explorer-note" }, f.body).textContent =
        s.format + " smallest normal " + P.sci(s.smallest, 3);
      var xs = [0], ys = [0];   // a^0 = 1, also for a = 0
      var step = Math.max(1, Math.ceil(s.L / 400));
      for (var l = step; l <= s.L; l += step) { xs.push(l); ys.push(l * logA); }
      if (xs[xs.length - 1] !== s.L) { xs.push(s.L); ys.push(end); }
      P.line(f, xs, ys, "explorer-series explorer-series--c0");
      if (s.a === 0) {         // 1 at l = 0, then exactly 0 from l = 1: below any log axis
        P.el("line", { x1: f.sx(0), x2: f.sx(0), y1: f.sy(0), y2: f.bottom - 1.5,
          "class": "explorer-zero" }, f.body);
        P.el("line", { x1: f.sx(0), x2: f.right, y1: f.bottom - 1.5, y2: f.bottom - 1.5,
          "class": "explorer-zero" }, f.body);
        P.el("text", { x: (f.left + f.right) / 2, y: (f.sy(top) + f.sy(bottom)) / 2 + 4, "text-anchor": "middle",
          "class": "explorer-note explorer-note--strong" }, f.body).textContent =
          "0 from layer 1 on (a log axis cannot show 0)";
      }
      var marker = s.over !== null ? s.over : s.under;
      if (marker !== null && marker <= s.L) {
        var mx = f.sx(marker);
        P.el("line", { x1: mx, x2: mx, y1: f.top, y2: f.bottom, "class": "explorer-marker" }, f.body);
        P.el("circle", { cx: mx, cy: sy(marker * logA), r: 4.5, "class": "explorer-marker-dot" }, f.body);
        var label = (s.over !== null ? "overflows " + s.format + " at L = " : "below smallest normal at L = ") + marker;
        var right = mx > (f.left + f.right) / 2;
        // Inside the band, on the side the curve leaves empty, clear of the limit labels.
        P.el("text", { x: mx + (right ? -6 : 6), y: s.over !== null ? f.sy(bottom) - 8 : f.sy(top) + 16,
          "text-anchor": right ? "end" : "start", "class": "explorer-note explorer-note--strong" }, f.body)
          .textContent = label;
      }
      P.el("circle", { cx: f.sx(s.L), cy: sy(end), r: 4, "class": "explorer-end-dot" }, f.body);
    }

    function update() {
      var s = state();
      aOut.textContent = s.a.toFixed(2);
      aInput.setAttribute("aria-valuetext", "a = " + s.a.toFixed(2));
      lOut.textContent = String(s.L);
      readout.innerHTML = describe(s);
      draw(s);
      root.dataset.state = JSON.stringify({ a: s.a, L: s.L, format: s.format, over: s.over, under: s.under });
    }

    root.addEventListener("input", function (event) {
      if (event.target === aInput) root.dataset.touched = "true";
      update();
    });
    root.addEventListener("change", update);
    P.show(root, function () { draw(state()); }, update);
  }

  P.register("depth", start);
})();

/* ---- initialisation explorer ---- */
/* Initialisation explorer (deep-nets page): per-layer activation and gradient std.
 *
 * It computes nothing: every plotted point and every number in the readout is
 * an entry of the `explorer_data` dict that snippets/deep_nets/explorer_data.py
 * computed with NumPy during the build (linked by a `{{ data: }}` directive):
 *   gains[i] (the weight std is init_std[init] times the gain), act_std[act][init][i][l-1]
 *   (layer l = 1..depth),
 *   grad_std[act][init][i][l] (layer l = 0..depth-1).
 */
(function () {
  "use strict";

  var P = window.explorerPlot;
  var INIT_NAMES = { small: "too small", lecun: "LeCun", he: "He", large: "too large" };

  function fmt(v) { return P.sci(v, 3); }

  function start(root, data) {
    var select = root.querySelector("select[name=init]");
    var gain = root.querySelector("input[name=gain]");
    var gainOut = root.querySelector("output[for=" + gain.id + "]");
    var svg = root.querySelector(".explorer-plot svg");
    var readout = root.querySelector(".explorer-readout");
    gain.max = String(data.gains.length - 1);
    root.querySelectorAll("[data-fill]").forEach(function (node) { node.textContent = String(data[node.dataset.fill]); });
    Array.prototype.forEach.call(select.options, function (option) {  // "He: √(2/n)" + " = 0.0884"
      if (!option.dataset.base) option.dataset.base = option.textContent;
      option.textContent = option.dataset.base + (option.value in data.init_std ?
        (option.value === "small" || option.value === "large" ? ": std " : " = ") + fmt(data.init_std[option.value]) : "");
    });
    if (!root.dataset.touched) gain.value = String(data.gains.indexOf(1));

    function state() {
      var checked = root.querySelector("input[name=activation]:checked");
      var act = checked ? checked.value : "tanh";
      var initName = select.value, i = parseInt(gain.value, 10);
      return {
        act: act, init: initName, i: i, gain: data.gains[i],
        std: data.init_std[initName],
        acts: data.act_std[act][initName][i],   // layers 1..depth
        grads: data.grad_std[act][initName][i], // layers 0..depth-1
      };
    }

    function number(key, value) {
      return "<span data-key=\"" + key + "\" data-value=\"" + value + "\">" + fmt(value) + "</span>";
    }

    function describe(s) {
      var depth = s.acts.length;
      return (s.act === "relu" ? "ReLU" : "tanh") + ", " + INIT_NAMES[s.init] + " (weight std " +
        fmt(s.std) + (s.gain === 1 ? "" : " \u00d7 gain " + fmt(s.gain)) + "), " + depth + " layers. " +
        "Activation std: " + number("act-first", s.acts[0]) + " at layer 1, " +
        number("act-last", s.acts[depth - 1]) + " at layer " + depth + ". " +
        "Gradient std: " + number("grad-last", s.grads[depth - 1]) + " at layer " + (depth - 1) + ", " +
        number("grad-first", s.grads[0]) + " at layer 0.";
    }

    function draw(s) {
      var depth = s.acts.length;
      var xa = [], ya = [], xg = [], yg = [];
      for (var l = 0; l < depth; l++) {
        xa.push(l + 1); ya.push(Math.log10(s.acts[l]));
        xg.push(l); yg.push(Math.log10(s.grads[l]));
      }
      var finite = ya.concat(yg).filter(isFinite);
      var lo = Math.floor(Math.min.apply(null, finite.concat([-1])));
      var hi = Math.ceil(Math.max.apply(null, finite.concat([1])));
      if (hi - lo > 12) { lo = Math.floor(lo / 10) * 10; hi = Math.ceil(hi / 10) * 10; }
      var f = P.frame(svg, {
        x: [0, depth], y: [lo, hi], xLabel: "layer l", yLabel: "std (log scale)",
        yTickLabel: function (t) { return t === 0 ? "1" : "10" + P.superscript(t); },
      });
      P.el("line", { x1: f.left, x2: f.right, y1: f.sy(0), y2: f.sy(0), "class": "explorer-limit" }, f.body);
      P.line(f, xa, ya, "explorer-series explorer-series--c0");
      P.line(f, xg, yg, "explorer-series explorer-series--c1 explorer-series--dashed");
    }

    function update() {
      var s = state();
      gainOut.textContent = "g = " + fmt(s.gain);
      gain.setAttribute("aria-valuetext", "gain " + fmt(s.gain));
      readout.innerHTML = describe(s);
      draw(s);
      root.dataset.state = JSON.stringify({ act: s.act, init: s.init, i: s.i });
    }

    root.addEventListener("input", function (event) {
      if (event.target === gain) root.dataset.touched = "true";
      update();
    });
    root.addEventListener("change", update);
    P.show(root, function () { draw(state()); }, update);
  }

  P.register("initialisation", start);
})();

window.explorerPlot.start();
