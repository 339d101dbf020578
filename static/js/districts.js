// The districts' credit: their data's licence (OpenStreetMap's ODbL) asks for "© OpenStreetMap
// contributors" wherever they are shown. The districts API says what to show (its `attribution`
// member); every map that draws the outlines puts it in its attribution corner, tiles or not.
export function creditDistricts(map, data) {
  const text = data && data.attribution;
  if (!text || !map.attributionControl) return;
  const span = document.createElement("span");
  span.className = "district-credit";
  span.textContent = text; // text, never HTML: it comes from an imported file
  map.attributionControl.addAttribution(span.outerHTML);
}
