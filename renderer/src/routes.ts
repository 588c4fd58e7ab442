import type { Component } from 'svelte';
import HomeScreen from './screens/HomeScreen.svelte';

export interface Route {
  /** The part after `#`, e.g. `/jobs`. */
  path: string;
  /** Navigation label and page title. */
  title: string;
  screen: Component;
}

/** The screens in navigation order; each later screen (Jobs, Devices, …) is one more entry here. */
export const ROUTES: Route[] = [{ path: '/', title: 'Home', screen: HomeScreen }];
