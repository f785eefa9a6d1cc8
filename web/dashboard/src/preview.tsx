// Preview: the server's own preview page (same origin) in a frame. That page
// plays the livestream with the hls.js the binary serves, fails over across
// its HLS sources and says when the stream is not live, so the dashboard
// bundles no player of its own.
//
// The frame gets scripts only: no allow-same-origin, so the page runs in an
// opaque origin and cannot reach the dashboard's cookies or storage (its
// requests, the stream info and the HLS sources, answer any origin).

export interface PreviewProps {
  streamKey: string;
  name: string;
}

export function previewUrl(streamKey: string): string {
  return `/api/v1/livestreams/preview-playback/${encodeURIComponent(streamKey)}`;
}

export function Preview({ streamKey, name }: PreviewProps) {
  const url = previewUrl(streamKey);
  return (
    <div class="preview">
      <iframe
        src={url}
        title={`Preview of ${name}`}
        sandbox="allow-scripts"
        allow="autoplay; fullscreen"
        referrerpolicy="no-referrer"
        data-testid="preview-frame"
      />
      <p class="muted">
        <a href={url} target="_blank" rel="noopener noreferrer">
          Open the preview page
        </a>
      </p>
    </div>
  );
}
