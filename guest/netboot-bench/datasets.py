# SPDX-License-Identifier: MIT
"""Deterministic inputs for the application tests: the same seed and scale always give the
same files, byte for byte. Generation is never part of a timed section."""
import math
import os
import random
import struct
import wave

WORDS = ("network boot disk server client image sector frame packet cache write read "
         "virtual machine monitor guest kernel driver interrupt memory page table storage "
         "ethernet request response latency throughput meeting report invoice schedule "
         "project review budget travel family weekend dinner music video photo").split()


def file_tree(root, seed, scale):
    """A document-like tree for the scan test: sizes log-uniform from 1 KiB to 1 MiB."""
    rng = random.Random(seed)
    count = max(8, int(800 * scale))
    total = 0
    for index in range(count):
        folder = os.path.join(root, f"d{index % 17:02d}", f"s{index % 5}")
        os.makedirs(folder, exist_ok=True)
        size = int(math.exp(rng.uniform(math.log(1024), math.log(1 << 20))))
        with open(os.path.join(folder, f"f{index:05d}.bin"), "wb") as f:
            f.write(rng.randbytes(size))
        total += size
    return {"files": count, "bytes": total}


def maildir(root, seed, scale):
    """A Maildir of plain-text messages made of a fixed vocabulary."""
    rng = random.Random(seed + 1)
    count = max(20, int(2000 * scale))
    os.makedirs(os.path.join(root, "cur"), exist_ok=True)
    os.makedirs(os.path.join(root, "new"), exist_ok=True)
    os.makedirs(os.path.join(root, "tmp"), exist_ok=True)
    total = 0
    for index in range(count):
        body = "\n".join(" ".join(rng.choice(WORDS) for _ in range(12))
                         for _ in range(rng.randint(5, 120)))
        text = (f"From: user{rng.randint(1, 50)}@example.org\nTo: bench@example.org\n"
                f"Subject: {' '.join(rng.choice(WORDS) for _ in range(4))}\n"
                f"Message-ID: <{seed}.{index}@netboot-bench>\n\n{body}\n")
        with open(os.path.join(root, "cur", f"{index:06d}.netboot-bench:2,S"), "w",
                  encoding="ascii") as f:
            f.write(text)
        total += len(text)
    return {"files": count, "bytes": total}


def web_pages(root, seed, scale):
    """HTML pages like long news and shop pages: headings, paragraphs, nested lists, links and a
    wide table (a text-mode browser still has to lay each of these out)."""
    rng = random.Random(seed + 3)
    count = max(4, int(60 * scale))
    os.makedirs(root, exist_ok=True)
    total = 0
    for index in range(count):
        sentence = lambda n: " ".join(rng.choice(WORDS) for _ in range(n))
        parts = [f"<!doctype html><html><head><title>{sentence(5)}</title></head><body>",
                 f"<h1>{sentence(6)}</h1>"]
        for section in range(rng.randint(4, 10)):
            parts.append(f"<h2 id='s{section}'>{sentence(4)}</h2>")
            parts.extend(f"<p>{sentence(rng.randint(40, 160))} <a href='p{rng.randrange(count)}.html'>"
                         f"{sentence(2)}</a></p>" for _ in range(rng.randint(2, 6)))
            parts.append("<ul>" + "".join(f"<li>{sentence(8)}<ol>" + "".join(
                f"<li>{sentence(5)}</li>" for _ in range(3)) + "</ol></li>" for _ in range(5)) + "</ul>")
        rows = "".join("<tr>" + "".join(f"<td>{rng.randint(0, 99999)} {rng.choice(WORDS)}</td>"
                                        for _ in range(8)) + "</tr>" for _ in range(rng.randint(50, 300)))
        parts.append(f"<table border='1'><tr>{''.join(f'<th>{w}</th>' for w in WORDS[:8])}</tr>{rows}</table>")
        parts.append("</body></html>\n")
        text = "\n".join(parts)
        with open(os.path.join(root, f"p{index}.html"), "w", encoding="ascii") as f:
            f.write(text)
        total += len(text)
    return {"files": count, "bytes": total}


def search_terms(seed):
    rng = random.Random(seed + 2)
    return [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(5)]


def wav_files(root, seed, scale):
    """16-bit stereo 44.1 kHz tones with noise, a few seconds each (audio tests)."""
    rng = random.Random(seed + 3)
    count = max(2, int(20 * scale))
    os.makedirs(root, exist_ok=True)
    total = 0
    for index in range(count):
        frames = int(44100 * rng.uniform(2.0, 4.0))
        period = max(2, int(44100 / rng.uniform(110.0, 880.0)))
        cycle = b"".join(struct.pack("<hh", v, v) for v in
                         (int(12000 * math.sin(2 * math.pi * n / period)) for n in range(period)))
        tone = (cycle * (frames // period + 1))[:frames * 4]
        # Noise in the low 4 bits of every sample (big-integer ops run at C speed, a per-sample
        # Python loop would take minutes under emulation).
        mask = int.from_bytes(b"\x0f\x00" * (frames * 2), "little")
        noise = int.from_bytes(rng.randbytes(frames * 4), "little") & mask
        samples = (int.from_bytes(tone, "little") ^ noise).to_bytes(frames * 4, "little")
        path = os.path.join(root, f"track{index:03d}.wav")
        with wave.open(path, "wb") as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(44100)
            w.writeframes(samples)
        total += os.path.getsize(path)
    return {"files": count, "bytes": total}
