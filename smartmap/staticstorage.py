"""The static files storage of a deployment: WhiteNoise's hashed, compressed files.

CompressedManifestStaticFilesStorage renames every file after a hash of its content (so browsers may
cache it for a year: a new version is a new name), rewrites the references between files to the new
names, and writes .gz and .br copies that WhiteNoise serves to browsers that accept them. Three
choices on top:

- The page scripts are ES modules importing each other (`import … from "./format.js"`): those
  imports are rewritten to the hashed names too, so only hashed files are kept and a page never mixes
  a new script with an old module still cached under a plain name.
- Vendored libraries are copied as their authors ship them, with a closing `sourceMappingURL`
  comment, but their source maps are not vendored (only developers' tools read them; with DEBUG on the
  files are served unhashed anyway). Such comments are left as written instead of failing the run.
- A hashed name is its content, so a file whose .gz and .br already exist from an earlier run is not
  compressed again: `make run` after the first start spends a second here, not half a minute.
"""

from pathlib import Path

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
    keep_only_hashed_files = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._patterns = {
            extension: [rule for rule in rules if "sourceMappingURL" not in rule[0].pattern]
            for extension, rules in self._patterns.items()
        }

    def compress_files(self, paths):
        fresh = [path for path in paths if not self._compressed_before(path)]
        yield from super().compress_files(fresh)

    def _compressed_before(self, name: str) -> bool:
        full = Path(self.path(name))
        return all(full.with_name(full.name + suffix).exists() for suffix in (".gz", ".br"))
