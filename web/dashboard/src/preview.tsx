// Preview player: hls.js (the light build, from npm, bundled into this lazy
// chunk) playing the livestream's first HLS source, moving to the next one
// when a source fails fatally.
import Hls from "hls.js/light";
import { useEffect, useRef, useState } from "preact/hooks";
import type { HlsSource } from "./types";

export interface PreviewProps {
  sources: HlsSource[];
  live: boolean;
}

export function PreviewPlayer({ sources, live }: PreviewProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [index, setIndex] = useState(0);
  const [state, setState] = useState("Waiting for the stream to go live");
  const key = sources.map((s) => s.url).join(" ");

  useEffect(() => setIndex(0), [key]);

  useEffect(() => {
    const el = video.current;
    if (!el || !live || sources.length === 0) {
      setState(sources.length === 0 ? "This livestream has no HLS source" : "Waiting for the stream to go live");
      return;
    }
    const source = sources[index % sources.length];
    const next = (why: string) => {
      const after = sources[(index + 1) % sources.length];
      setState(`Source ${source.name} failed (${why}), trying ${after.name}`);
      setIndex(index + 1);
    };
    el.dataset.source = source.name;
    if (Hls.isSupported()) {
      const hls = new Hls({ lowLatencyMode: false, manifestLoadingMaxRetry: 2, levelLoadingMaxRetry: 2 });
      let failed = false;
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal && !failed) {
          failed = true;
          // After a whole round of failures, wait before starting the next.
          const delay = (index + 1) % sources.length === 0 ? 2000 : 0;
          window.setTimeout(() => next(data.details), delay);
        }
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        setState(`Playing from ${source.name}`);
        el.play().catch(() => setState(`Ready from ${source.name}: press play`));
      });
      hls.loadSource(source.url);
      hls.attachMedia(el);
      setState(`Loading ${source.name}`);
      return () => hls.destroy();
    }
    if (el.canPlayType("application/vnd.apple.mpegurl")) {
      el.src = source.url;
      const onError = () => next("playback error");
      el.addEventListener("error", onError);
      el.play().catch(() => undefined);
      setState(`Playing from ${source.name}`);
      return () => {
        el.removeEventListener("error", onError);
        el.removeAttribute("src");
        el.load();
      };
    }
    setState("This browser cannot play HLS");
    return undefined;
  }, [key, index, live]);

  return (
    <div class="preview">
      <video ref={video} controls muted playsInline data-testid="preview-video" />
      <p class="muted" data-testid="preview-state">
        {state}
      </p>
    </div>
  );
}
