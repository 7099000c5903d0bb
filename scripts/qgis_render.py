"""Open a GeoPackage layer in real QGIS (Debian's python3-qgis, headless) and render it.

Run with the system Python that has ``qgis`` (not the venv):
``python3 scripts/qgis_render.py FILE.gpkg LAYER OUT.png [EXTENT_SCALE]``; prints JSON: whether the
layer is valid, its renderer type, legend labels, symbol layers per class, whether labels are on,
and how many sampled pixels are painted.
"""

import json
import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"
from qgis.core import (
    QgsApplication,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

app = QgsApplication([], False)
app.initQgis()
path, layer, png = sys.argv[1:4]
vl = QgsVectorLayer(f"{path}|layername={layer}", layer, "ogr")
out = {"valid": vl.isValid(), "features": vl.featureCount()}
r = vl.renderer()
out["renderer"] = r.type()
if r.type() == "categorizedSymbol":
    out["labels"] = [c.label() for c in r.categories()]
    out["symbol_layers"] = [c.symbol().symbolLayerCount() for c in r.categories()]
if r.type() == "graduatedSymbol":
    out["labels"] = [x.label() for x in r.ranges()]
out["labels_enabled"] = vl.labelsEnabled()
settings = QgsMapSettings()
settings.setLayers([vl])
e = vl.extent()
if len(sys.argv) > 4:
    e.scale(float(sys.argv[4]))
settings.setExtent(e)
settings.setOutputSize(QSize(800, 600))
settings.setBackgroundColor(QColor("white"))
settings.setDestinationCrs(vl.crs())
job = QgsMapRendererParallelJob(settings)
job.start()
job.waitForFinished()
img = job.renderedImage()
img.save(png)
painted = sum(
    1
    for x in range(0, 800, 4)
    for y in range(0, 600, 4)
    if img.pixelColor(x, y).name() != "#ffffff"
)
out["painted"] = painted
print(json.dumps(out, ensure_ascii=False))
