/** Hash links of the Devices screen; `#/devices/<id>` opens that device's panel. Ids are encoded to survive the round trip. */
export const deviceLinks = {
  list: '#/devices',
  details: (id: string) => `#/devices/${encodeURIComponent(id)}`,
};
