// Stylesheets imported for their side effect (vite bundles them).
declare module "*.css";

// hls.js's light build has the same API as the full one, without its own typings entry.
declare module "hls.js/light" {
  import Hls from "hls.js";
  export default Hls;
}
