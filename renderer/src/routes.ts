import type { Component } from 'svelte';
import type { RoutePattern } from './lib/routing';
import DevicesScreen from './screens/devices/DevicesScreen.svelte';
import GroupsScreen from './screens/groups/GroupsScreen.svelte';
import HomeScreen from './screens/home/HomeScreen.svelte';
import JobsScreen from './screens/jobs/JobsScreen.svelte';
import RequestLogScreen from './screens/requests/RequestLogScreen.svelte';
import ScheduledJobsScreen from './screens/scheduled/ScheduledJobsScreen.svelte';
import SimulationScreen from './screens/simulation/SimulationScreen.svelte';
import TemplatesScreen from './screens/templates/TemplatesScreen.svelte';
import TokensScreen from './screens/tokens/TokensScreen.svelte';

export interface Route extends RoutePattern {
  screen: Component;
}

/** The screens in navigation order; each later screen (Jobs, Devices, …) is one more entry here. */
export const ROUTES: Route[] = [
  { path: '/', title: 'Home', screen: HomeScreen },
  { path: '/jobs', title: 'Jobs', screen: JobsScreen, nested: true },
  { path: '/devices', title: 'Devices', screen: DevicesScreen, nested: true },
  { path: '/templates', title: 'Device templates', screen: TemplatesScreen },
  { path: '/groups', title: 'Device groups', screen: GroupsScreen },
  { path: '/scheduled', title: 'Scheduled jobs', screen: ScheduledJobsScreen },
  { path: '/simulation', title: 'Simulation', screen: SimulationScreen },
  { path: '/tokens', title: 'API tokens', screen: TokensScreen },
  { path: '/requests', title: 'Request log', screen: RequestLogScreen },
];
