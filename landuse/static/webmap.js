/* landuse: decode packed parcels and draw them on one canvas; user text arrives as data. */
window.landuse = window.landuse || {pending: 0, ready: 0, errors: []};
landuse.decode = function (b64) {
  var bin = atob(b64), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Response(stream).json();
};
landuse.text = function (column, i) { return column.k ? column.k[column.i[i]] : column.v[i]; };
landuse.draw = function (d, groups, styles, fields) {
  var g = d.geom, s = Math.pow(10, -g.p), c = g.c, x = g.o[0], y = g.o[1];
  var p = 0, r = 0, part = 0;
  for (var k = 0; k < g.f.length; k++) {
    var polygons = [];
    for (var a = 0; a < g.f[k]; a++, part++) {
      var rings = [];
      for (var b = 0; b < g.g[part]; b++) {
        var n = g.r[r++], ring = new Array(n);
        for (var j = 0; j < n; j++) { x += c[p++]; y += c[p++]; ring[j] = [y * s, x * s]; }
        rings.push(ring);
      }
      polygons.push(rings);
    }
    var layer = L.polygon(polygons.length === 1 ? polygons[0] : polygons, styles[d.style[k]]);
    layer.landuseIndex = k;
    groups[d.group[k]].addLayer(layer);
  }
  if (!fields.length) return;
  var tip = function (layer) {
    var rows = "";
    for (var f = 0; f < fields.length; f++) {
      rows += "<tr><th>" + fields[f] + "</th><td>" + landuse.text(d.tips[f], layer.landuseIndex) + "</td></tr>";
    }
    return '<table class="landuse-tip">' + rows + "</table>";
  };
  groups.forEach(function (group) { group.bindTooltip(tip, {sticky: true}); });
};
landuse.done = function () {
  landuse.pending -= 1;
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
