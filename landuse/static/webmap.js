/* landuse: decode packed parcels and draw them on a canvas; user text arrives as data. */
window.landuse = window.landuse || {pending: 0, ready: 0, errors: [], layers: [], timings: {}};
landuse.mark = function (step) { landuse.timings[step] = Math.round(performance.now()); };
landuse.MIN = 5;  // smallest drawn size of a parcel, screen pixels
landuse.LOD = 8;  // below this size (pixels) the level-of-detail layer draws a box, not a path
landuse.CHUNK = 256;  // parcels per canvas path

landuse.bytes = function (b64) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
  var bin = atob(b64), n = bin.length, bytes = new Uint8Array(n);
  for (var i = 0; i < n; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
};
landuse.decode = function (b64) {
  landuse.mark("script");
  var bytes = landuse.bytes(b64);
  landuse.mark("base64");
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Response(stream).arrayBuffer().then(function (buf) {
    landuse.mark("inflate");
    var d = landuse.unpack(buf);
    landuse.mark("unpack");
    return d;
  });
};
landuse.starts = function (counts) {
  var out = new Float64Array(counts.length + 1);
  for (var i = 0; i < counts.length; i++) out[i + 1] = out[i] + counts[i];
  return out;
};
landuse.varints = function (bytes, count, origin, scale, out) {
  // zigzag LEB128 deltas -> running sums, times scale (bit operations up to 4 bytes a value)
  var p = 0, q = origin;
  for (var v = 0; v < count; v++) {
    var b = bytes[p++], u = b & 127, shift = 7;
    while (b & 128) {
      b = bytes[p++];
      if (shift < 28) u |= (b & 127) << shift; else u += (b & 127) * Math.pow(2, shift);
      shift += 7;
    }
    q += shift <= 28 ? (u >>> 1) ^ -(u & 1) : (u % 2 ? -(u + 1) / 2 : u / 2);
    out[v] = q * scale;
  }
  return out;
};
landuse.unpack = function (buf) {
  // the block written by landuse._webmap.encode_parcels
  var size = new DataView(buf).getUint32(0, true), base = 4 + size;
  var head = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, size)));
  var types = {u1: Uint8Array, u2: Uint16Array, u4: Uint32Array, i4: Int32Array, f8: Float64Array};
  var s = {};
  for (var name in head.s) {
    var e = head.s[name];
    s[name] = new types[e[1]](buf, base + e[0], e[2]);
  }
  var k = Math.pow(10, -head.p), nv = head.nv;
  var d = {n: head.n, part: landuse.starts(s.f), ring: landuse.starts(s.g), vert: landuse.starts(s.r),
           group: s.group, style: s.style, tips: [],
           x: landuse.varints(s.x, nv, head.o[0], k, new Float64Array(nv)),
           y: landuse.varints(s.y, nv, head.o[1], k, new Float64Array(nv))};
  head.t.forEach(function (t, i) {
    d.tips.push({bytes: s["tb" + i], len: s["tl" + i], codes: t.dict ? s["tc" + i] : null, off: null});
  });
  return d;
};
landuse.utf8 = new TextDecoder();
landuse.text = function (column, i) {
  if (!column.off) column.off = landuse.starts(column.len);
  var j = column.codes ? column.codes[i] : i;
  return landuse.utf8.decode(column.bytes.subarray(column.off[j], column.off[j + 1]));
};
landuse.tip = function (d, fields, i) {
  var rows = "";
  for (var f = 0; f < fields.length; f++) {
    rows += "<tr><th>" + fields[f] + "</th><td>" + landuse.text(d.tips[f], i) + "</td></tr>";
  }
  return '<table class="landuse-tip">' + rows + "</table>";
};

landuse.draw = function (d, map, groups, styles, fields, options) {
  landuse.MIN = options.min || landuse.MIN;
  if (options.lod) {
    var layer = new landuse.ParcelLayer(d, groups, styles, fields);
    landuse.layers.push(layer);
    return layer.addTo(map);
  }
  for (var k = 0; k < d.n; k++) {
    var polygons = [];
    for (var a = d.part[k]; a < d.part[k + 1]; a++) {
      var rings = [];
      for (var b = d.ring[a]; b < d.ring[a + 1]; b++) {
        var ring = [];
        for (var j = d.vert[b]; j < d.vert[b + 1]; j++) ring.push([d.y[j], d.x[j]]);
        rings.push(ring);
      }
      polygons.push(rings);
    }
    var polygon = new landuse.Parcel(polygons.length === 1 ? polygons[0] : polygons, styles[d.style[k]]);
    polygon.landuseIndex = k;
    groups[d.group[k]].addLayer(polygon);
  }
  if (!fields.length) return;
  var tip = function (polygon) { return landuse.tip(d, fields, polygon.landuseIndex); };
  groups.forEach(function (group) { group.bindTooltip(tip, {sticky: true}); });
};

/* A Leaflet polygon never drawn (nor hovered) smaller than landuse.MIN pixels on a canvas. */
landuse.Parcel = L.Polygon.extend({
  _updateBounds: function () {
    L.Polygon.prototype._updateBounds.call(this);
    var raw = this._rawPxBounds;
    this._landuseBox = null;
    if (!raw) return;
    var size = raw.getSize();
    if (size.x < landuse.MIN && size.y < landuse.MIN) {
      var c = raw.getCenter(), h = landuse.MIN / 2 + this._clickTolerance();
      this._landuseBox = c;
      this._pxBounds = L.bounds([c.x - h, c.y - h], [c.x + h, c.y + h]);
    }
  },
  _updatePath: function () {
    var box = this._landuseBox, r = this._renderer;
    if (!box || !r._ctx) return L.Polygon.prototype._updatePath.call(this);
    if (!r._drawing) return;
    var h = landuse.MIN / 2;
    r._ctx.beginPath();
    r._ctx.rect(box.x - h, box.y - h, 2 * h, 2 * h);
    r._fillStroke(r._ctx, this);
  },
  _containsPoint: function (p) {
    if (this._landuseBox) return this._pxBounds.contains(p);
    return L.Polygon.prototype._containsPoint.call(this, p);
  }
});

/* Many parcels on one canvas: level of detail by zoom, a grid index, hover through the index.
   Coordinates are kept in Leaflet's zoom-0 pixel space (EPSG:3857 as L.CRS.EPSG3857 projects),
   so a frame is a multiply and a subtract per vertex. */
landuse.ParcelLayer = L.Renderer.extend({
  options: {padding: 0.3},

  initialize: function (d, groups, styles, fields) {
    L.Renderer.prototype.initialize.call(this, {});
    this._d = d; this._groups = groups; this._styles = styles; this._fields = fields;
    this.count = d.n;
    this.stats = {frames: 0, ms: 0, dots: 0, shapes: 0};
    this._colors = styles.map(landuse.dotColor);
    this._project();
    landuse.mark("project");
    this._buildIndex();
    landuse.mark("index");
  },

  _project: function () {
    // lon/lat -> zoom-0 pixels and each parcel's box, in one pass. Mercator's y is exact at a
    // parcel's first vertex and linear from there within 0.002° (under 0.01 px at zoom 18)
    var d = this._d, n = d.n, m = d.x.length, X = new Float64Array(m), Y = new Float64Array(m);
    var lon = d.x, lat = d.y, max = 85.0511287798, rad = Math.PI / 180, f = 256 / (4 * Math.PI);
    var mercator = function (phi) {
      var s = Math.sin(Math.max(Math.min(max, phi), -max) * rad);
      return 256 * 0.5 - f * Math.log((1 + s) / (1 - s));
    };
    var box = new Float64Array(4 * n), holes = new Uint8Array(n);
    for (var k = 0; k < n; k++) {
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      var first = d.ring[d.part[k]], last = d.ring[d.part[k + 1]];
      if (last - first > d.part[k + 1] - d.part[k]) holes[k] = 1;
      var j = d.vert[first], end = d.vert[last], lat0 = lat[j], y00 = mercator(lat0);
      var slope = -2 * f * rad / Math.cos(Math.min(max, Math.abs(lat0)) * rad);
      for (; j < end; j++) {
        var x = 256 * (lon[j] / 360 + 0.5), dl = lat[j] - lat0;
        var y = dl < 0.002 && dl > -0.002 ? y00 + slope * dl : mercator(lat[j]);
        X[j] = x; Y[j] = y;
        if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
      }
      box[4 * k] = x0; box[4 * k + 1] = y0; box[4 * k + 2] = x1; box[4 * k + 3] = y1;
    }
    this._X = X; this._Y = Y; this._box = box; this._holes = holes;
    d.x = d.y = null;  // lon/lat no longer needed
  },

  _buildIndex: function () {
    // a uniform grid over the data; a parcel sits in the cell of its box centre. Parcels larger
    // than a cell go to a list checked every time, so queries only widen by a cell's size.
    var n = this._d.n, box = this._box, i;
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (i = 0; i < n; i++) {
      if (!(box[4 * i] <= box[4 * i + 2])) continue;  // an empty geometry
      x0 = Math.min(x0, box[4 * i]); y0 = Math.min(y0, box[4 * i + 1]);
      x1 = Math.max(x1, box[4 * i + 2]); y1 = Math.max(y1, box[4 * i + 3]);
    }
    var w = Math.max(x1 - x0, 1e-9), h = Math.max(y1 - y0, 1e-9);
    var cell = Math.sqrt(w * h / Math.max(n / 4, 1));
    var cols = Math.max(1, Math.min(2048, Math.ceil(w / cell))), rows = Math.max(1, Math.min(2048, Math.ceil(h / cell)));
    var cw = w / cols, ch = h / rows, cellOf = new Int32Array(n), counts = new Uint32Array(cols * rows + 1);
    var big = [], half = 0, skipped = 0;
    for (i = 0; i < n; i++) {
      var bw = box[4 * i + 2] - box[4 * i], bh = box[4 * i + 3] - box[4 * i + 1];
      if (!(bw >= 0 && bh >= 0)) { cellOf[i] = -1; skipped++; continue; }  // an empty geometry
      if (bw > cw || bh > ch) { big.push(i); cellOf[i] = -1; continue; }
      half = Math.max(half, bw / 2, bh / 2);
      var cx = Math.min(cols - 1, Math.floor(((box[4 * i] + box[4 * i + 2]) / 2 - x0) / cw));
      var cy = Math.min(rows - 1, Math.floor(((box[4 * i + 1] + box[4 * i + 3]) / 2 - y0) / ch));
      cellOf[i] = cy * cols + cx;
      counts[cellOf[i] + 1]++;
    }
    for (i = 0; i < cols * rows; i++) counts[i + 1] += counts[i];
    var fill = counts.slice(0, cols * rows), items = new Uint32Array(n - big.length - skipped);
    for (i = 0; i < n; i++) if (cellOf[i] >= 0) items[fill[cellOf[i]]++] = i;
    this._grid = {x0: x0, y0: y0, cw: cw, ch: ch, cols: cols, rows: rows, start: counts, items: items,
                  big: big, half: half};
  },

  // visit every parcel whose box may meet [qx0, qx1] x [qy0, qy1] (zoom-0 pixels)
  _query: function (qx0, qy0, qx1, qy1, visit) {
    var g = this._grid, i;
    for (i = 0; i < g.big.length; i++) visit(g.big[i]);
    var c0 = Math.max(0, Math.floor((qx0 - g.half - g.x0) / g.cw)), c1 = Math.min(g.cols - 1, Math.floor((qx1 + g.half - g.x0) / g.cw));
    var r0 = Math.max(0, Math.floor((qy0 - g.half - g.y0) / g.ch)), r1 = Math.min(g.rows - 1, Math.floor((qy1 + g.half - g.y0) / g.ch));
    for (var r = r0; r <= r1; r++) {
      for (var c = c0; c <= c1; c++) {
        var id = r * g.cols + c;
        for (var j = g.start[id], end = g.start[id + 1]; j < end; j++) visit(g.items[j]);
      }
    }
  },

  onAdd: function (map) {
    L.Renderer.prototype.onAdd.call(this, map);
    map.on("mousemove", this._hover, this);
    map.on("mouseout", this._unhover, this);
    map.on("layeradd layerremove", this._toggled, this);
    map.on("zoomstart", this._unhover, this);  // the parcel under the mouse changes
  },
  onRemove: function (map) {
    map.off("mousemove", this._hover, this);
    map.off("mouseout", this._unhover, this);
    map.off("layeradd layerremove", this._toggled, this);
    map.off("zoomstart", this._unhover, this);
    this._unhover();
    L.Renderer.prototype.onRemove.call(this, map);
  },
  _initContainer: function () {
    this._container = L.DomUtil.create("canvas", "landuse-parcels");
    this._ctx = this._container.getContext("2d");
  },
  _destroyContainer: function () {
    L.DomUtil.remove(this._container);
    delete this._ctx;
  },
  _toggled: function (e) {
    if (this._groups.indexOf(e.layer) >= 0 && this._map) { this._unhover(); this._redraw(true); }
  },

  _update: function () {
    if (this._map._animatingZoom && this._bounds) return;
    L.Renderer.prototype._update.call(this);
    var b = this._bounds, size = b.getSize(), r = L.Browser.retina ? 2 : 1, canvas = this._container;
    L.DomUtil.setPosition(canvas, b.min);
    if (canvas.width === r * size.x && canvas.height === r * size.y) return this._redraw(false);
    canvas.width = r * size.x; canvas.height = r * size.y;  // clears the canvas
    canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
    this._redraw(true);
  },

  _redraw: function (force) {
    if (!this._map || !this._bounds) return;
    var t0 = performance.now(), map = this._map, d = this._d, box = this._box;
    var ctx = this._ctx, canvas = this._container, W = canvas.width, H = canvas.height;
    var size = this._bounds.getSize(), r = W / Math.max(1, size.x);
    var k = Math.pow(2, this._zoom), origin = map.getPixelOrigin().add(this._bounds.min);
    var ox = origin.x, oy = origin.y;
    var on = this._groups.map(function (g) { return map.hasLayer(g); });
    var key = [this._zoom, ox, oy, W, H, on.join()].join(" ");
    if (key === this._drawn && !force) return;  // a zoom fires both viewreset and moveend
    this._drawn = key;
    if (!this._img || this._img.width !== W || this._img.height !== H) {
      this._img = ctx.createImageData(W, H);
      this._pix = new Uint32Array(this._img.data.buffer);
    }
    var pix = this._pix, colors = this._colors, group = d.group, style = d.style, holes = this._holes;
    var lod = landuse.LOD / k, pad = landuse.MIN / k, scale = k * r, D = landuse.MIN * r;
    var oxr = ox * r, oyr = oy * r, shapes = this._styles.map(function () { return []; }), holed = [];
    var qx0 = ox / k - pad, qy0 = oy / k - pad, qx1 = (ox + size.x) / k + pad, qy1 = (oy + size.y) / k + pad;
    var g = this._grid, items = g.items, start = g.start, dots = 0, list = g.big, from = 0, to = list.length;
    var c0 = Math.max(0, Math.floor((qx0 - g.half - g.x0) / g.cw)), c1 = Math.min(g.cols - 1, Math.floor((qx1 + g.half - g.x0) / g.cw));
    var r0 = Math.max(0, Math.floor((qy0 - g.half - g.y0) / g.ch)), r1 = Math.min(g.rows - 1, Math.floor((qy1 + g.half - g.y0) / g.ch));
    pix.fill(0);
    // the big parcels, then the grid cells in view. Where parcels are packed denser than one per
    // landuse.MIN pixels, their boxes shrink to the spacing (at least a pixel): the area still
    // fills, without drawing each pixel many times over
    var cellArea = g.cw * g.ch * k * k, cells = (r1 - r0 + 1) * (c1 - c0 + 1), base = D;
    for (var cell = -1; cell < cells; cell++) {
      if (cell >= 0) {
        var id = (r0 + Math.floor(cell / (c1 - c0 + 1))) * g.cols + c0 + cell % (c1 - c0 + 1);
        list = items; from = start[id]; to = start[id + 1];
        if (from === to) continue;
        D = Math.max(r, Math.min(base, r * Math.sqrt(cellArea / (to - from))));
      }
      for (var a = from; a < to; a++) {
        var i = list[a];
        if (!on[group[i]]) continue;
        var b0 = box[4 * i], b1 = box[4 * i + 1], b2 = box[4 * i + 2], b3 = box[4 * i + 3];
        if (b2 < qx0 || b0 > qx1 || b3 < qy0 || b1 > qy1) continue;
        if (b2 - b0 >= lod || b3 - b1 >= lod) {
          (holes[i] ? holed : shapes[style[i]]).push(i);
          continue;
        }
        // small: a box at least landuse.MIN pixels wide, written straight into the pixels
        var w = (b2 - b0) * scale, h = (b3 - b1) * scale;
        if (w < D) w = D;
        if (h < D) h = D;
        var cx = (b0 + b2) * 0.5 * scale - oxr, cy = (b1 + b3) * 0.5 * scale - oyr;
        var xa = cx - w * 0.5 + 0.5, xb = cx + w * 0.5 + 0.5, ya = cy - h * 0.5 + 0.5, yb = cy + h * 0.5 + 0.5;
        xa = xa < 0 ? 0 : xa | 0; xb = xb > W ? W : xb | 0; ya = ya < 0 ? 0 : ya | 0; yb = yb > H ? H : yb | 0;
        var color = colors[style[i]];
        for (var y = ya; y < yb; y++) {
          for (var x = y * W + xa, end = y * W + xb; x < end; x++) pix[x] = color;
        }
        dots++;
      }
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (dots) ctx.putImageData(this._img, 0, 0); else ctx.clearRect(0, 0, W, H);
    ctx.setTransform(r, 0, 0, r, 0, 0);
    // paths of at most landuse.CHUNK parcels: the canvas rasterises one huge path far slower
    // (30,000 parcels: 7 s as one path, 60 ms in paths of 256)
    var drawn = 0, self = this, chunk = landuse.CHUNK;
    shapes.forEach(function (members, s) {
      for (var a = 0; a < members.length; a += chunk) {
        ctx.beginPath();
        for (var m = a, end = Math.min(members.length, a + chunk); m < end; m++) self._trace(ctx, members[m], k, ox, oy);
        self._paint(ctx, self._styles[s], "nonzero");
      }
      drawn += members.length;
    });
    holed.forEach(function (i) {  // parcels with holes: one by one, even-odd
      ctx.beginPath();
      self._trace(ctx, i, k, ox, oy);
      self._paint(ctx, self._styles[style[i]], "evenodd");
      drawn++;
    });
    this.stats = {frames: this.stats.frames + 1, ms: performance.now() - t0, dots: dots, shapes: drawn,
                  zoom: this._zoom};
  },

  _trace: function (ctx, i, k, ox, oy) {
    var d = this._d, X = this._X, Y = this._Y;
    for (var b = d.ring[d.part[i]], rb = d.ring[d.part[i + 1]]; b < rb; b++) {
      var j = d.vert[b], end = d.vert[b + 1];
      if (end - j < 3) continue;
      ctx.moveTo(X[j] * k - ox, Y[j] * k - oy);
      for (j++; j < end; j++) ctx.lineTo(X[j] * k - ox, Y[j] * k - oy);
      ctx.closePath();
    }
  },

  _paint: function (ctx, o, rule) {
    if (o.fill !== false) {
      ctx.globalAlpha = o.fillOpacity === undefined ? 0.2 : o.fillOpacity;
      ctx.fillStyle = o.fillColor || o.color || "#3388ff";
      ctx.fill(rule);
    }
    if (o.stroke !== false && (o.weight === undefined || o.weight > 0)) {
      ctx.globalAlpha = o.opacity === undefined ? 1 : o.opacity;
      ctx.lineWidth = o.weight === undefined ? 3 : o.weight;
      ctx.strokeStyle = o.color || "#3388ff";
      ctx.lineCap = o.lineCap || "round"; ctx.lineJoin = o.lineJoin || "round";
      ctx.setLineDash(o.dashArray ? String(o.dashArray).split(/[ ,]+/).map(Number) : []);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  },

  // the parcel under a point (zoom-0 pixels), the one drawn last; -1 for none
  hit: function (px, py) {
    var d = this._d, box = this._box, map = this._map, k = Math.pow(2, this._zoom);
    var on = this._groups.map(function (g) { return map.hasLayer(g); });
    var lod = landuse.LOD / k, half = landuse.MIN / 2 / k, tol = 1 / k, found = -1, self = this;
    this._query(px - half - tol, py - half - tol, px + half + tol, py + half + tol, function (i) {
      if (!on[d.group[i]]) return;
      var b0 = box[4 * i], b1 = box[4 * i + 1], b2 = box[4 * i + 2], b3 = box[4 * i + 3];
      if (b2 - b0 < lod && b3 - b1 < lod) {  // drawn as a box
        var hw = Math.max(half, (b2 - b0) / 2) + tol, hh = Math.max(half, (b3 - b1) / 2) + tol;
        if (Math.abs(px - (b0 + b2) / 2) <= hw && Math.abs(py - (b1 + b3) / 2) <= hh) found = i;
      } else if (px >= b0 - tol && px <= b2 + tol && py >= b1 - tol && py <= b3 + tol && self._inside(i, px, py)) {
        found = i;
      }
    });
    return found;
  },

  _inside: function (i, px, py) {
    var d = this._d, X = this._X, Y = this._Y, inside = false;
    for (var b = d.ring[d.part[i]], rb = d.ring[d.part[i + 1]]; b < rb; b++) {
      var start = d.vert[b], end = d.vert[b + 1];
      for (var j = start, prev = end - 1; j < end; prev = j++) {
        if ((Y[j] > py) !== (Y[prev] > py) &&
            px < (X[prev] - X[j]) * (py - Y[j]) / (Y[prev] - Y[j]) + X[j]) inside = !inside;
      }
    }
    return inside;
  },

  _hover: function (e) {
    if (!this._fields.length || this._map._animatingZoom) return;
    var p = this._map.project(e.latlng, 0), i = this.hit(p.x, p.y), map = this._map;
    if (i < 0) return this._unhover();
    if (!this._tip) this._tip = L.tooltip({direction: "right", offset: [14, 0], className: "landuse-parcel-tip"});
    if (i !== this._tipIndex) {
      this._tipIndex = i;
      this._tip.setContent(landuse.tip(this._d, this._fields, i));
    }
    this._tip.setLatLng(e.latlng);
    if (!map.hasLayer(this._tip)) map.openTooltip(this._tip);
    L.DomUtil.addClass(map.getContainer(), "landuse-hover");
  },
  _unhover: function () {
    this._tipIndex = -1;
    if (!this._map) return;
    if (this._tip) this._map.closeTooltip(this._tip);
    L.DomUtil.removeClass(this._map.getContainer(), "landuse-hover");
  }
});

landuse.dotColor = function (style) {
  // a style as one RGBA pixel (little-endian ABGR): the fill colour, as opaque as fill and
  // outline together look on a parcel a few pixels wide
  var probe = landuse._probe ||
    (landuse._probe = document.createElement("canvas").getContext("2d", {willReadFrequently: true}));
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = style.fillColor || style.color || "#3388ff";
  probe.fillRect(0, 0, 1, 1);
  var c = probe.getImageData(0, 0, 1, 1).data;
  var fill = style.fill === false ? 0 : (style.fillOpacity === undefined ? 0.2 : style.fillOpacity);
  var line = style.stroke === false ? 0 : (style.opacity === undefined ? 1 : style.opacity) * 0.5;
  var alpha = Math.round(255 * (1 - (1 - fill) * (1 - line)));
  return ((alpha << 24) | (c[2] << 16) | (c[1] << 8) | c[0]) >>> 0;
};

landuse.done = function () {
  landuse.pending -= 1;
  landuse.mark("drawn");
  if (landuse.pending === 0) requestAnimationFrame(function () { landuse.ready = performance.now(); });
};
landuse.polygons = function (data, style) {
  // Zones and renewal zones: GeoJSON whose features carry their style and an escaped tooltip.
  var layer = L.geoJSON(data, {style: function (f) { return f.properties.style || style; }});
  layer.bindTooltip(function (l) { return l.feature.properties.tip; }, {sticky: true});
  return layer;
};
landuse.labels = function (group, labels, css) {
  // labels: [[lat, lon, escaped text], ...] drawn as text at a point of each zone
  labels.forEach(function (label) {
    var icon = L.divIcon({className: "landuse-label", iconSize: [0, 0],
                          html: '<div style="' + css + '">' + label[2] + "</div>"});
    L.marker([label[0], label[1]], {icon: icon, interactive: false}).addTo(group);
  });
};
landuse.fit = function (map, bounds, m) {
  // fitBounds with margins for the legend and the layer control, at most a fifth of the width
  var width = map.getSize().x, cap = function (px) { return Math.min(px, Math.round(width / 5)); };
  map.fitBounds(bounds, {paddingTopLeft: [cap(m.left), m.top], paddingBottomRight: [cap(m.right), m.bottom],
                         maxZoom: m.maxZoom});
};
landuse.legend = function (map, markup) {
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "landuse-legend");
    div.innerHTML = markup;
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
};
