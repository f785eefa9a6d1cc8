// The preview player is its own chunk (hls.js is most of the bundle's
// weight): fetched the first time a livestream page shows a preview.
import { useEffect, useState } from "preact/hooks";
import type { FunctionComponent } from "preact";
import type { PreviewProps } from "../preview";

let loaded: FunctionComponent<PreviewProps> | null = null;

export function LazyPreview(props: PreviewProps) {
  const [Player, setPlayer] = useState<FunctionComponent<PreviewProps> | null>(() => loaded);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (Player) return;
    import("../preview")
      .then((m) => {
        loaded = m.PreviewPlayer;
        setPlayer(() => m.PreviewPlayer);
      })
      .catch(() => setError("The preview player failed to load; reload the page"));
  }, [Player]);
  if (error) return <p class="error">{error}</p>;
  if (!Player) return <p class="muted">Loading the player…</p>;
  return <Player {...props} />;
}
