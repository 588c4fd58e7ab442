import type { FastifyRequest } from 'fastify';
import type { DeviceCatalog, DeviceView } from '../../../domain/devices/device-catalog.js';
import type { DeviceListing, DeviceListOptions } from '../../../domain/devices/device-list.js';
import { DomainError } from '../../../domain/errors.js';
import { isPreview } from '../api-version.js';
import { CentralError } from '../errors.js';
import { pageRequest, toPage, type Page } from '../paging.js';

/** Whether a devices list request uses the preview `filter` / `orderby` options. */
export function hasListOptions(request: FastifyRequest): boolean {
  const { filter, orderby } = request.query as DeviceListOptions;
  return filter !== undefined || orderby !== undefined;
}

/** A page of the devices that `filter` selects, in `orderby` order; a filter that does not parse answers 400. */
export function filteredDevicePage(request: FastifyRequest, listing: DeviceListing, devices: DeviceCatalog): Page<DeviceView> {
  if (!isPreview(request.specVersion)) {
    throw new CentralError('BadRequest', 'The filter and orderby list options need api-version 2022-10-31-preview; this version does not define them.');
  }
  const { filter, orderby } = request.query as DeviceListOptions;
  let selection;
  try {
    selection = listing.select({ ...(filter !== undefined && { filter }), ...(orderby !== undefined && { orderby }) });
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'InvalidInput') throw new CentralError('BadRequest', `Invalid list option: ${error.message}`);
    throw error;
  }
  return toPage(request, pageRequest(request), selection.total, (start, end) => selection.ids(start, end).map((id) => devices.get(id)));
}
