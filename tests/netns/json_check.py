#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check erlab's JSON documents against their contract (docs/json.md, docs/schema/*.json).

  json_check.py SCHEMA_DIR [FILE...]
      Each FILE (default: stdin) must be exactly one JSON document and a newline, as bytes that
      are valid UTF-8, parsed by Python's json module (no NaN or Infinity, no duplicate keys); its
      "schema" member ("erlab/<kind>/v1") names SCHEMA_DIR/<kind>.json, which it must satisfy
      (python3-jsonschema, draft 2020-12). One line per FILE, "FILE: ok" or "FILE: FAIL why"
      (nothing for stdin but the why). Exit 0 when all are valid, else 1.

  json_check.py --doc SCHEMA_DIR DOC.md
      Every schema is a valid draft 2020-12 schema (when jsonschema is there), and every key any
      schema names is documented in DOC.md, in backticks, in the section whose heading links that
      schema file. Exit 0, or 1 listing what is missing.

  json_check.py --has-jsonschema
      Exit 0 when jsonschema can be imported, 1 otherwise.
"""
import glob
import json
import os
import re
import sys


class Invalid(Exception):
    pass


def fail(msg):
    raise Invalid(msg)


def no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError("duplicate key %r" % k)
        seen[k] = v
    return seen


def no_constant(name):
    raise ValueError("%s is not JSON" % name)


def load_schemas(schema_dir):
    schemas = {}
    for path in sorted(glob.glob(os.path.join(schema_dir, "*.json"))):
        with open(path, encoding="utf-8") as f:
            s = json.load(f)
        schemas[s["$id"]] = (os.path.basename(path), s)
    if not schemas:
        fail("no schema in %s" % schema_dir)
    return schemas


def validator(schemas, main):
    import jsonschema
    from jsonschema import Draft202012Validator
    try:
        from referencing import Registry, Resource  # jsonschema >= 4.18
        from referencing.jsonschema import DRAFT202012
        registry = Registry().with_resources(
            [(i, Resource.from_contents(s, default_specification=DRAFT202012)) for i, (_, s) in schemas.items()])
        return Draft202012Validator(main, registry=registry)
    except ImportError:  # Debian 12's 4.10
        store = {i: s for i, (_, s) in schemas.items()}
        resolver = jsonschema.RefResolver.from_schema(main, store=store)
        return Draft202012Validator(main, resolver=resolver)


def check_document(schema_dir, data):
    if not data.endswith(b"\n") or data.count(b"\n") != 1:
        fail("expected one document on one line, ending with a newline; got %r" % data[:200])
    try:
        text = data.decode("utf-8")   # strict: any ill-formed byte fails
    except UnicodeDecodeError as e:
        fail("not valid UTF-8: %s" % e)
    try:
        doc = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except ValueError as e:
        fail("not JSON: %s: %r" % (e, text[:300]))
    if not isinstance(doc, dict) or not isinstance(doc.get("schema"), str):
        fail("a document must be an object with a \"schema\" string")
    m = re.fullmatch(r"erlab/([a-z]+)/v([0-9]+)", doc["schema"])
    if not m:
        fail("schema %r is not erlab/<kind>/v<N>" % doc["schema"])
    schemas = load_schemas(schema_dir)
    main = [s for (name, s) in schemas.values() if name == m.group(1) + ".json"]
    if not main:
        fail("no schema file for %s" % doc["schema"])
    errors = sorted(validator(schemas, main[0]).iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        fail("; ".join("%s: /%s: %s" % (doc["schema"], "/".join(str(p) for p in e.absolute_path), e.message[:300])
                       for e in errors[:10]))


def keys_of(node, out):
    """Every property name a schema defines, anywhere in it."""
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            out.add(k)
            keys_of(v, out)
        for k, v in node.items():
            if k != "properties":
                keys_of(v, out)
    elif isinstance(node, list):
        for v in node:
            keys_of(v, out)


def check_doc(schema_dir, doc_path):
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    # Sections: a "## " heading and what follows it, up to the next "## ".
    sections = re.split(r"(?m)^(?=## )", text)
    missing = []
    schemas = load_schemas(schema_dir)
    try:
        from jsonschema import Draft202012Validator
        for name, s in schemas.values():
            Draft202012Validator.check_schema(s)
    except ImportError:
        pass
    for name, s in schemas.values():
        section = [sec for sec in sections if sec.startswith("## ") and "schema/" + name in sec.splitlines()[0]]
        if len(section) != 1:
            missing.append("%s: no (single) section whose heading links schema/%s" % (doc_path, name))
            continue
        keys = set()
        keys_of(s, keys)
        for k in sorted(keys):
            if "`%s`" % k not in section[0]:
                missing.append("%s: key `%s` is not documented in the section of schema/%s" % (doc_path, k, name))
    if missing:
        fail("\n".join(missing))


def main(argv):
    if argv[1:2] == ["--has-jsonschema"]:
        try:
            import jsonschema  # noqa: F401
        except ImportError:
            sys.exit(1)
        sys.exit(0)
    if argv[1:2] == ["--doc"] and len(argv) == 4:
        try:
            check_doc(argv[2], argv[3])
        except Invalid as e:
            print("json_check: %s" % e, file=sys.stderr)
            sys.exit(1)
        return
    if len(argv) == 2 and not argv[1].startswith("-"):
        try:
            check_document(argv[1], sys.stdin.buffer.read())
        except Invalid as e:
            print("json_check: %s" % e, file=sys.stderr)
            sys.exit(1)
        return
    if len(argv) > 2 and not argv[1].startswith("-"):
        bad = 0
        for path in argv[2:]:
            with open(path, "rb") as f:
                data = f.read()
            try:
                check_document(argv[1], data)
                print("%s: ok" % path)
            except Invalid as e:
                print("%s: FAIL %s" % (path, e))
                bad += 1
        sys.exit(1 if bad else 0)
    print(__doc__, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
