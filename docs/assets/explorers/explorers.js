/* The site's interactive explorers, in one deferred file (one request on every page).
 * Sections: shared SVG plot helpers; depth x scale explorer; initialisation explorer. */

/* ---- shared SVG plot helpers ---- */
/* Tiny SVG line-plot helpers shared by the explorers (no framework, no network).
 *
 * Everything is drawn at the container's real pixel width, so text stays
 * readable on a phone; colours come from CSS classes (see explorers.css), so a
 * light/dark switch recolours the plot without redrawing it.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var SUPERSCRIPT = { "-": "\u207b", "0": "\u2070", "1": "\u00b9", "2": "\u00b2", "3": "\u00b3",
    "4": "\u2074", "5": "\u2075", "6": "\u2076", "7": "\u2077", "8": "\u2078", "9": "\u2079" };

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

  /* A fresh plot frame inside `svg`: returns scales and the drawing group. */
  function frame(svg, opts) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var width = Math.max(280, Math.round(svg.parentNode.clientWidth || 600));
    var narrow = width < 480;
    var height = Math.round(Math.min(400, Math.max(250, width * 0.55)));
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

  /* Call back with the JSON a `{{ data: }}` directive put on the page (null if there is none). */
  function pageData(id, callback) {
    var node = document.getElementById(id);
    callback(node ? JSON.parse(node.textContent) : null);
  }

  /* Reveal an explorer (it stays hidden without JavaScript, leaving the static figure),
   * redraw it when its width changes, and draw it once. */
  function show(root, redraw, update) {
    if (window.ResizeObserver) {
      var lastWidth = 0;
      new ResizeObserver(function () {
        var w = root.clientWidth;
        if (w && w !== lastWidth) { lastWidth = w; redraw(); }
      }).observe(root);
    }
    root.hidden = false;
    root.dataset.ready = "true";
    update();
  }

  /* Run init(element) for every element matching selector, on first load and after
   * every instant navigation (Material's document$), or once without Material. */
  function onEveryPage(selector, init) {
    function initAll() { document.querySelectorAll(selector).forEach(init); }
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(initAll);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", initAll);
    } else {
      initAll();
    }
  }

  window.explorerPlot = { el: el, sci: sci, superscript: superscript, ticks: ticks, frame: frame,
    line: line, pageData: pageData, show: show, onEveryPage: onEveryPage };
})();

/* ---- depth x scale explorer ---- */
/* Depth × scale explorer (exploding-vanishing page): a^l for every layer l ≤ L.
 *
 * The float32 limits are not typed here: they are the `limits` dict that
 * snippets/exploding_vanishing/float_limits.py computed with np.finfo during
 * the build, embedded by a `{{ data: }}` directive. The only arithmetic done
 * here is a^l itself (in float64, exact enough for the depths on the slider).
 */
(function () {
  "use strict";

  var P = window.explorerPlot;

  /* Smallest l ≥ 1 with exceeds(a^l), for a monotone condition; log(limit)/log(a) is a first guess. */
  function firstDepth(a, limit, exceeds) {
    var l = Math.max(1, Math.floor(Math.log(limit) / Math.log(a)) - 2);
    while (!exceeds(Math.pow(a, l))) l++;
    while (l > 1 && exceeds(Math.pow(a, l - 1))) l--;
    return l;
  }

  function init(root) {
    if (root.dataset.ready || root.dataset.loading) return;
    root.dataset.loading = "true";
    P.pageData(root.dataset.source, function (limits) { start(root, limits); });
  }

  function start(root, limits) {
    if (!limits || !limits.float32) return; // no data: the static figure is all the reader gets
    var largest = limits.float32["largest value"];
    var smallest = limits.float32["smallest normal"];
    var aInput = root.querySelector("input[name=a]");
    var lInput = root.querySelector("input[name=L]");
    var aOut = root.querySelector("output[for=" + aInput.id + "]");
    var lOut = root.querySelector("output[for=" + lInput.id + "]");
    var svg = root.querySelector("svg");
    var readout = root.querySelector(".explorer-readout");

    function state() {
      var a = parseFloat(aInput.value), L = parseInt(lInput.value, 10);
      var over = a > 1 ? firstDepth(a, largest, function (v) { return v > largest; }) : null;
      var under = a < 1 ? firstDepth(a, smallest, function (v) { return v < smallest; }) : null;
      return { a: a, L: L, value: Math.pow(a, L), over: over, under: under };
    }

    function describe(s) {
      var parts = [
        "<span data-key=\"power\">a<sup>L</sup> = " + s.a.toFixed(2) + "<sup>" + s.L + "</sup> \u2248 " +
          "<span data-key=\"value\" data-value=\"" + s.value + "\">" + P.sci(s.value, 3) + "</span></span>."
      ];
      if (s.over !== null) {
        parts.push("Above float32's largest value (" + P.sci(largest, 3) + ") from " +
          "<span data-key=\"overflow\" data-value=\"" + s.over + "\">L = " + s.over + "</span>" +
          (s.over > s.L ? ", deeper than this network." : ": float32 gives inf."));
      } else if (s.under !== null) {
        parts.push("Below float32's smallest normal value (" + P.sci(smallest, 3) + ") from " +
          "<span data-key=\"underflow\" data-value=\"" + s.under + "\">L = " + s.under + "</span>" +
          (s.under > s.L ? ", deeper than this network." : ": float32 loses precision, then gives 0."));
      } else {
        parts.push("<span data-key=\"flat\">With a = 1 every layer keeps the size: nothing explodes or vanishes.</span>");
      }
      return parts.join(" ");
    }

    function draw(s) {
      var logA = Math.log10(s.a), end = s.L * logA;
      var top = Math.log10(largest), bottom = Math.log10(smallest);
      // Always show float32's normal range, with room for the labels, and the whole curve.
      var lo = Math.floor((Math.min(0, end, bottom) - 6) / 10) * 10;
      var hi = Math.ceil((Math.max(0, end, top) + 6) / 10) * 10;
      var f = P.frame(svg, {
        x: [0, s.L], y: [lo, hi],
        xLabel: "layer l", yLabel: "activation size a\u02e1 (log scale)",
        yTickLabel: function (t) { return "10" + P.superscript(t); },
      });
      P.el("rect", { x: f.left, width: f.right - f.left, y: f.sy(top), height: f.sy(bottom) - f.sy(top),
        "class": "explorer-band" }, f.body);
      P.el("line", { x1: f.left, x2: f.right, y1: f.sy(top), y2: f.sy(top), "class": "explorer-limit explorer-limit--max" }, f.body);
      P.el("line", { x1: f.left, x2: f.right, y1: f.sy(bottom), y2: f.sy(bottom), "class": "explorer-limit explorer-limit--min" }, f.body);
      P.el("text", { x: f.left + 6, y: f.sy(top) - 5, "class": "explorer-note" }, f.body).textContent =
        "float32 largest " + P.sci(largest, 3);
      P.el("text", { x: f.left + 6, y: f.sy(bottom) + 14, "class": "explorer-note" }, f.body).textContent =
        "float32 smallest normal " + P.sci(smallest, 3);
      var xs = [], ys = [];
      var step = Math.max(1, Math.ceil(s.L / 400));
      for (var l = 0; l <= s.L; l += step) { xs.push(l); ys.push(l * logA); }
      if (xs[xs.length - 1] !== s.L) { xs.push(s.L); ys.push(end); }
      P.line(f, xs, ys, "explorer-series explorer-series--c0");
      var marker = s.over !== null ? s.over : s.under;
      if (marker !== null && marker <= s.L) {
        var mx = f.sx(marker);
        P.el("line", { x1: mx, x2: mx, y1: f.top, y2: f.bottom, "class": "explorer-marker" }, f.body);
        P.el("circle", { cx: mx, cy: f.sy(marker * logA), r: 4.5, "class": "explorer-marker-dot" }, f.body);
        var label = (s.over !== null ? "overflows float32 at L = " : "below smallest normal at L = ") + marker;
        var right = mx > (f.left + f.right) / 2;
        // Inside the band, on the side the curve leaves empty, clear of the limit labels.
        P.el("text", { x: mx + (right ? -6 : 6), y: s.over !== null ? f.sy(bottom) - 8 : f.sy(top) + 16,
          "text-anchor": right ? "end" : "start", "class": "explorer-note explorer-note--strong" }, f.body)
          .textContent = label;
      }
      P.el("circle", { cx: f.sx(s.L), cy: f.sy(end), r: 4, "class": "explorer-end-dot" }, f.body);
    }

    function update() {
      var s = state();
      aOut.textContent = s.a.toFixed(2);
      lOut.textContent = String(s.L);
      readout.innerHTML = describe(s);
      draw(s);
      root.dataset.state = JSON.stringify({ a: s.a, L: s.L, over: s.over, under: s.under });
    }

    aInput.addEventListener("input", update);
    lInput.addEventListener("input", update);
    P.show(root, function () { draw(state()); }, update);
  }

  P.onEveryPage("[data-explorer=depth]", init);
})();

/* ---- initialisation explorer ---- */
/* Initialisation explorer (deep-nets page): per-layer activation and gradient std.
 *
 * It computes nothing: every plotted point and every number in the readout is
 * an entry of the `explorer_data` dict that snippets/deep_nets/explorer_data.py
 * computed with NumPy during the build (embedded by a `{{ data: }}` directive):
 *   gains[i] (the weight std is init_std[init] times the gain), act_std[act][init][i][l-1]
 *   (layer l = 1..depth),
 *   grad_std[act][init][i][l] (layer l = 0..depth-1).
 */
(function () {
  "use strict";

  var P = window.explorerPlot;
  var INIT_NAMES = { small: "too small", lecun: "LeCun", he: "He", large: "too large" };

  function fmt(v) { return P.sci(v, 3); }

  function init(root) {
    if (root.dataset.ready || root.dataset.loading) return;
    root.dataset.loading = "true";
    P.pageData(root.dataset.source, function (data) { start(root, data); });
  }

  function start(root, data) {
    if (!data || !data.act_std) return; // no data: the static figure is all the reader gets
    var select = root.querySelector("select[name=init]");
    var gain = root.querySelector("input[name=gain]");
    var gainOut = root.querySelector("output[for=" + gain.id + "]");
    var svg = root.querySelector("svg");
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

  P.onEveryPage("[data-explorer=initialisation]", init);
})();
