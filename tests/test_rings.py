"""Plain polygons as flat coordinates (landuse._rings): parsed from WKB, measured, bounded,
projected and checked without GEOS — and always agreeing with GEOS."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from landuse._rings import Rings, parse_wkb


def _wkb_buffers(geoms: list[shapely.Geometry], **options: object) -> tuple[np.ndarray, np.ndarray]:
    values = shapely.to_wkb(np.array(geoms, dtype=object), **options)
    offsets = np.cumsum([0, *map(len, values)])
    return offsets, np.frombuffer(b"".join(values), dtype=np.uint8)


def _random_polygons(
    count: int, seed: int, origin: tuple[float, float], scale: float = 1.0
) -> np.ndarray:
    """Convex hulls of random points and star-shaped (concave) polygons, ~80 × scale wide."""
    rng = np.random.default_rng(seed)
    out = []
    for vertices in rng.integers(3, 40, count):
        xy = np.column_stack(
            [
                origin[0] + rng.random(vertices) * 80 * scale,
                origin[1] + rng.random(vertices) * 80 * scale,
            ]
        )
        hull = shapely.Polygon(xy).convex_hull
        out.append(hull if hull.geom_type == "Polygon" else shapely.box(*origin, *origin))
        # a star-shaped (concave) polygon with the same vertex count
        angle = np.sort(rng.random(vertices)) * 2 * np.pi
        radius = (10 + rng.random(vertices) * 30) * scale
        out.append(
            shapely.Polygon(
                np.column_stack(
                    [origin[0] + radius * np.cos(angle), origin[1] + radius * np.sin(angle)]
                )
            )
        )
    return np.array(out, dtype=object)


def test_wkb_of_plain_polygons_is_read_to_the_same_coordinates_as_geos():
    polygons = _random_polygons(300, 1, (40_512_345.0, 3_987_654.0))
    offsets, data = _wkb_buffers(list(polygons))
    rings = parse_wkb(offsets, data)
    assert rings is not None and rings.complete
    np.testing.assert_array_equal(rings.xy, shapely.get_coordinates(polygons))
    assert shapely.equals_exact(rings.polygons(), polygons, tolerance=0).all()
    assert shapely.equals_exact(rings.polygons_in_turns(batch=7), polygons, tolerance=0).all()


@pytest.mark.parametrize(
    "odd",
    [
        shapely.Point(1, 2),
        shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)]),
        shapely.box(0, 0, 10, 10).difference(shapely.box(2, 2, 3, 3)),  # a hole
        shapely.Polygon([(0, 0, 1), (1, 0, 1), (1, 1, 1), (0, 0, 1)]),  # z
        shapely.Polygon(),
    ],
    ids=["point", "multipolygon", "hole", "z", "empty"],
)
def test_wkb_that_is_not_all_plain_polygons_is_left_to_geos(odd):
    offsets, data = _wkb_buffers([shapely.box(0, 0, 1, 1), odd])
    assert parse_wkb(offsets, data) is None


def test_big_endian_and_srid_wkb_are_left_to_geos():
    square = shapely.box(0, 0, 1, 1)
    assert parse_wkb(*_wkb_buffers([square], byte_order=0)) is None
    assert parse_wkb(*_wkb_buffers([shapely.set_srid(square, 4490)], include_srid=True)) is None
    assert parse_wkb(*_wkb_buffers([square])) is not None


def test_unclosed_or_truncated_wkb_is_left_to_geos():
    offsets, data = _wkb_buffers([shapely.box(0, 0, 1, 1)])
    opened = data.copy()
    opened[-16:] = np.frombuffer(np.array([5.0, 5.0]).tobytes(), dtype=np.uint8)
    assert parse_wkb(offsets, opened) is None  # last vertex differs from the first
    assert parse_wkb(np.array([0, len(data) - 8]), data) is None  # length disagrees


def test_areas_and_bounds_equal_geos_bit_for_bit():
    polygons = _random_polygons(400, 2, (500_000.0, 3_950_000.0))
    big = shapely.Polygon(
        np.column_stack(
            [
                500_000 + 50 * np.cos(np.linspace(0, 2 * np.pi, 5_000)),
                3_950_000 + np.sin(np.linspace(0, 2 * np.pi, 5_000)),
            ]
        )
    )
    polygons = np.append(polygons, big)  # beyond the loop-per-vertex limit: GEOS measures it
    rings = Rings.of(polygons)
    assert rings.complete
    np.testing.assert_array_equal(rings.areas(), shapely.area(polygons))
    np.testing.assert_array_equal(rings.bounds(), shapely.bounds(polygons))
    np.testing.assert_array_equal(rings.total_bounds(), shapely.total_bounds(polygons))


def test_only_plain_polygons_become_rings_and_keep_their_rows():
    geoms = np.array(
        [
            shapely.box(0, 0, 2, 2),
            None,
            shapely.MultiPolygon([shapely.box(0, 0, 1, 1)]),
            shapely.box(5, 5, 6, 7),
        ],
        dtype=object,
    )
    rings = Rings.of(geoms)
    assert rings.rows.tolist() == [0, 3] and not rings.complete
    assert rings.areas().tolist() == [4.0, 2.0]
    picked = rings.take(np.array([1]))
    assert picked.rows.tolist() == [3] and picked.areas().tolist() == [2.0]
    joined = Rings.concatenate([rings, Rings.of(geoms[:1])])
    assert joined.rows.tolist() == [0, 3, 4] and joined.size == 5


def test_projected_coordinates_equal_pyproj_per_point_on_any_number_of_threads(monkeypatch):
    polygons = _random_polygons(15_000, 3, (120.3, 36.1), scale=1e-5)  # degrees
    rings = Rings.of(polygons)
    transformer = Transformer.from_crs(4490, 4549, always_xy=True)
    x, y = transformer.transform(rings.xy[:, 0], rings.xy[:, 1])
    monkeypatch.setenv("LANDUSE_THREADS", "1")
    serial, finite = rings.transformed(transformer)
    assert finite
    monkeypatch.setenv("LANDUSE_THREADS", "2")
    parallel, _ = rings.transformed(transformer)
    np.testing.assert_array_equal(serial.xy, np.column_stack([x, y]))
    np.testing.assert_array_equal(parallel.xy, serial.xy)
    np.testing.assert_array_equal(parallel.areas(), serial.areas())


def test_coordinates_outside_the_projection_are_reported():
    rings = Rings.of(np.array([shapely.box(0, 95, 1, 96)], dtype=object))  # latitude 95°
    _, finite = rings.transformed(Transformer.from_crs(4490, 4549, always_xy=True))
    assert not finite


# --- convex rings are valid without asking GEOS -------------------------------------------

_corner = st.tuples(
    st.sampled_from([0.0, 1.0, 2.0, 1e-9, 3.0, 120.123456789, 4e7]),
    st.sampled_from([0.0, 1.0, 2.0, 1e-9, 5.0, 36.987654321, 3.9e6]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_corner, min_size=3, max_size=7))
def test_a_ring_called_convex_is_always_valid_for_geos(corners):
    """Repeated vertices, straight corners, spikes, bow-ties, stars and huge coordinates:
    whatever the corners, 'certainly convex' implies GEOS's is_valid."""
    ring = np.array([*corners, corners[0]], dtype=float)
    polygon = shapely.Polygon(ring)
    rings = Rings.of(np.array([polygon], dtype=object))
    if len(rings) and rings.convex()[0]:
        assert shapely.is_valid(polygon)


def test_convex_rings_are_found_and_the_doubtful_left_to_geos():
    shapes = [
        shapely.box(0, 0, 3, 2),  # convex
        shapely.box(0, 0, 3, 2).reverse(),  # convex, clockwise
        shapely.Polygon([(0, 0), (2, 0), (0, 2)]),  # triangle
        shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]),  # bow-tie: invalid
        shapely.Polygon([(0, 0), (4, 0), (4, 4), (2, 1), (0, 4)]),  # concave: valid, not convex
        shapely.Polygon([(0, 0), (1, 0), (2, 0), (2, 1), (0, 1)]),  # a straight corner
        shapely.Polygon([(0, 0), (1, 0), (1, 0), (1, 1), (0, 1)]),  # a repeated vertex
        shapely.Polygon([(np.cos(t), np.sin(t)) for t in np.arange(5) * 4 * np.pi / 5]),  # star
    ]
    convex = Rings.of(np.array(shapes, dtype=object)).convex()
    assert convex.tolist() == [True, True, True, False, False, False, False, False]


@pytest.mark.parametrize("vertices", [10, 11, 13, 17, 40, 70, 2_500])
def test_a_ring_alone_in_its_size_is_measured_as_geos_measures_it(vertices):
    """One ring per size bucket: numpy would add its terms pairwise; GEOS adds them in turn."""
    rng = np.random.default_rng(vertices)
    for _ in range(20):
        t = np.sort(rng.random(vertices)) * 2 * np.pi
        ring = np.column_stack(
            [500_000 + rng.random() * 1e4 + 30 * np.cos(t), 3_980_000 + 20 * np.sin(t)]
        )
        polygon = np.array([shapely.Polygon(ring)], dtype=object)
        assert Rings.of(polygon).areas()[0] == shapely.area(polygon)[0]


def test_rings_near_underflow_are_left_to_geos():
    scale = 2.0**-539  # products of coordinate differences fall below the normal floats
    polygon = shapely.Polygon(np.array([[0, 2], [2, 4], [-1, -1], [-4, -3], [0, 2]]) * scale)
    assert not Rings.of(np.array([polygon], dtype=object)).convex()[0]


def test_work_goes_in_blocks_of_whole_rings():
    polygons = _random_polygons(3_000, 9, (500_000.0, 3_950_000.0))
    rings = Rings.of(polygons)
    blocks: list[int] = []

    def measure(xy: np.ndarray, starts: np.ndarray) -> np.ndarray:
        blocks.append(len(xy))
        assert starts[0] == 0 and starts[-1] == len(xy)
        return np.diff(starts)

    import landuse._rings as module

    old = module._BLOCK
    module._BLOCK = 1_000
    try:
        counts = rings._per_ring(measure)
    finally:
        module._BLOCK = old
    np.testing.assert_array_equal(counts, rings.counts)
    assert len(blocks) > 10 and max(blocks) < 1_000 + rings.counts.max()
