# Builder of nix/image.nix. POSIX sh builtins only (no coreutils): turns the reference graph Nix wrote to
# ./closure (path, deriver, reference count, references...) into the JSON Slipway reads.
{
  printf '{"slipwayImage":1,"name":"%s","maxLayers":%s,"roots":"%s","config":%s,"copyToRoot":[' \
    "$imageName" "$maxLayers" "$rootsPath" "$config"
  sep=
  for p in $copyToRoot; do printf '%s"%s"' "$sep" "$p"; sep=,; done
  printf '],"closure":['
  sep=
  while IFS= read -r path; do
    [ -n "$path" ] || continue
    IFS= read -r deriver
    IFS= read -r count
    printf '%s{"path":"%s","references":[' "$sep" "$path"
    sep=,
    rsep=
    while [ "$count" -gt 0 ]; do
      IFS= read -r ref
      printf '%s"%s"' "$rsep" "$ref"
      rsep=,
      count=$((count - 1))
    done
    printf ']}'
  done < closure
  printf ']}\n'
} > "$out"
