# SPDX-License-Identifier: MIT
"""Open stand-ins for the PCMark Vantage tests the paper reports (Fig. 9). Each test prepares
its deterministic input, syncs and drops the page cache (cold, like a fresh trace replay), then
times only its work. Scores (normalised to local disk) are computed on the host.

  test id         PCMark Vantage test it stands for          what it does here
  defender-scan   Windows Defender scan                       SHA-256 of every file in a tree
  app-loading     Application loading                         cold start of installed programs
  music-import    Add music to Windows Media Player           read WAV headers+frames, copy to a library, index
  audio-encode    Video/audio editing and playback            encode WAV tracks to FLAC
  mail-search     Windows Mail searching                      full-text search (grep) of a Maildir
  mail-copy       Windows Mail copying                        copy a Maildir, then sync
  web-render      Web page rendering                          lay out HTML pages with w3m, a headless text-mode
                                                              browser (no CSS, images or JavaScript)
"""
import hashlib
import json
import os
import shutil
import subprocess
import time
import wave

import datasets

WORK = "/var/tmp/netboot-bench/apps"
# Programs started cold by app-loading; all come with the image.
PROGRAMS = [["python3", "-c", "import json, sqlite3, email"], ["perl", "-e", "1"],
            ["fio", "--version"], ["flac", "--version"], ["apt-cache", "policy", "fio"],
            ["systemctl", "--version"], ["gpgv", "--version"]]


def run(spec, seed, emit):
    scale = float(spec.get("scale", 1.0))
    for name in spec["tests"]:
        for index in range(int(spec.get("passes", 1))):
            shutil.rmtree(WORK, ignore_errors=True)
            os.makedirs(WORK)
            prepare, work = TESTS[name]
            sizes = prepare(seed, scale)
            drop_caches()
            start = time.monotonic()
            work(seed)
            seconds = time.monotonic() - start
            emit({"type": "app", "test": name, "pass": index + 1, "seconds": seconds, **sizes})
    shutil.rmtree(WORK, ignore_errors=True)


def drop_caches():
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w", encoding="ascii") as f:
        f.write("3\n")


def scan_tree(_seed):
    for folder, _dirs, files in os.walk(f"{WORK}/tree"):
        for name in sorted(files):
            digest = hashlib.sha256()
            with open(os.path.join(folder, name), "rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)


def load_programs(_seed):
    for argv in PROGRAMS:
        drop_caches()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def import_music(_seed):
    index = []
    for name in sorted(os.listdir(f"{WORK}/music")):
        source = f"{WORK}/music/{name}"
        with wave.open(source, "rb") as w:
            frames = w.readframes(w.getnframes())
            index.append({"file": name, "frames": w.getnframes(), "rate": w.getframerate(),
                          "sha1": hashlib.sha1(frames).hexdigest()})
        target = f"{WORK}/library/artist{len(index) % 4}/album{len(index) % 3}"
        os.makedirs(target, exist_ok=True)
        shutil.copyfile(source, f"{target}/{name}")
    with open(f"{WORK}/library/index.json", "w", encoding="ascii") as f:
        json.dump(index, f)
    os.sync()


def encode_audio(_seed):
    os.makedirs(f"{WORK}/flac")
    for name in sorted(os.listdir(f"{WORK}/music")):
        subprocess.run(["flac", "-s", "-f", "-5", "-o", f"{WORK}/flac/{name}.flac",
                        f"{WORK}/music/{name}"], check=True)
    os.sync()


def search_mail(seed):
    for term in datasets.search_terms(seed):
        # grep exits 1 when nothing matches, which is a valid search result.
        done = subprocess.run(["grep", "-rlF", "-e", term, f"{WORK}/mail"],
                              stdout=subprocess.DEVNULL, check=False)
        if done.returncode > 1:
            raise RuntimeError(f"grep failed searching {term!r}")


def copy_mail(_seed):
    shutil.copytree(f"{WORK}/mail", f"{WORK}/mail-copy")
    os.sync()


def render_pages(_seed):
    for name in sorted(os.listdir(f"{WORK}/web")):
        subprocess.run(["w3m", "-dump", "-cols", "120", "-T", "text/html", f"{WORK}/web/{name}"],
                       stdout=subprocess.DEVNULL, check=True)


def prepare_tree(seed, scale):
    return datasets.file_tree(f"{WORK}/tree", seed, scale)


def prepare_mail(seed, scale):
    return datasets.maildir(f"{WORK}/mail", seed, scale)


def prepare_music(seed, scale):
    return datasets.wav_files(f"{WORK}/music", seed, scale)


def prepare_web(seed, scale):
    return datasets.web_pages(f"{WORK}/web", seed, scale)


def prepare_nothing(_seed, _scale):
    return {"files": len(PROGRAMS), "bytes": 0}


TESTS = {
    "defender-scan": (prepare_tree, scan_tree),
    "app-loading": (prepare_nothing, load_programs),
    "music-import": (prepare_music, import_music),
    "audio-encode": (prepare_music, encode_audio),
    "mail-search": (prepare_mail, search_mail),
    "mail-copy": (prepare_mail, copy_mail),
    "web-render": (prepare_web, render_pages),
}
