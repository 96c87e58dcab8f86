// The status badge used by the list and the detail page.
import { h } from './format.js';

export function statusBadge(status) {
  return h('span', { class: `badge ${status}`, dataset: { status } }, status.charAt(0).toUpperCase() + status.slice(1));
}
