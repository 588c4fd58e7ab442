import { expect, test } from '../fixtures/emulator.js';
import { seedFleet } from '../scenarios/job-scenario.js';

const CENTRAL = 'api-version=2022-07-31';

test('a new group cannot overwrite an existing one; Edit and Delete say which scheduled jobs they change', async ({ page, request, emulator }) => {
  const fleet = await seedFleet(request, emulator, 'grp');
  const headers = { authorization: emulator.token };
  for (const id of ['nightly-a', 'nightly-b']) {
    const res = await request.put(`${emulator.url}/api/scheduledJobs/${id}?${CENTRAL}`, {
      headers,
      data: {
        displayName: `Nightly ${id.slice(-1).toUpperCase()}`,
        group: fleet.group,
        schedule: { start: '2099-01-01T00:00:00Z', recurrence: 'daily' },
        data: [{ type: 'property', target: fleet.template, path: 'targetTemperature', value: 20 }],
      },
    });
    expect(res.ok(), await res.text()).toBe(true);
  }
  const originalFilter = `SELECT * FROM devices WHERE $template = "${fleet.template}"`;
  await page.goto(`${emulator.url}/#/groups`);
  const groupRow = page.getByRole('row', { name: new RegExp(`Thermostats grp \\(${fleet.group}\\)`) });
  await expect(groupRow).toContainText(originalFilter);

  // Creating a group under a name whose id is taken is refused at the id, and the existing group is untouched.
  await page.getByLabel('Group name').fill(fleet.group);
  await page.getByLabel('Attribute 1').selectOption('$id');
  await page.getByLabel('Value 1').fill('grp-2');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.locator('#group-id-error')).toHaveText(`A group with id "${fleet.group}" already exists. Choose another id, or use Edit on that group.`);
  await expect(groupRow).toContainText(originalFilter);

  // A group that is created empties the form for the next one.
  await page.getByLabel('Group name').fill('First ten');
  await page.getByLabel('Attribute 1').selectOption('$id');
  await page.getByLabel('Operator 1').selectOption('startswith');
  await page.getByLabel('Value 1').fill('grp-1');
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Created group First ten.' })).toBeVisible();
  await expect(page.getByRole('row', { name: /First ten \(first-ten\)/ })).toBeVisible();
  await expect(page.getByLabel('Group name')).toHaveValue('');
  await expect(page.getByLabel('Filter (IoT Central query language)')).toHaveValue('SELECT * FROM devices');

  // Edit fills the form from the group, and saving asks first, naming the scheduled jobs that follow the change.
  await page.getByRole('button', { name: 'Edit group Thermostats grp' }).click();
  await expect(page.getByRole('heading', { name: 'Edit group Thermostats grp' })).toBeVisible();
  await expect(page.getByLabel('Group id')).toHaveValue(fleet.group);
  await expect(page.getByLabel('Attribute 1')).toHaveValue('$template');
  await expect(page.getByLabel('Value 1')).toHaveValue(fleet.template);
  await page.getByLabel('Attribute 1').selectOption('$id');
  await page.getByLabel('Operator 1').selectOption('startswith');
  await page.getByLabel('Value 1').fill('grp-9');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save the changes to group Thermostats grp?' });
  await expect(dialog).toContainText('Its filter becomes SELECT * FROM devices WHERE startswith($id, "grp-9").');
  await expect(dialog).toContainText('It is used by 2 scheduled jobs ("Nightly A", "Nightly B"): their next runs target the new filter.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(groupRow).toContainText(originalFilter);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved the changes to group Thermostats grp.' })).toBeVisible();
  await expect(groupRow).toContainText('startswith($id, "grp-9")');
  await expect(page.getByRole('heading', { name: 'New group' })).toBeVisible();

  // Delete asks too, with the same consequences.
  await page.getByRole('button', { name: 'Delete group Thermostats grp' }).click();
  const deletion = page.getByRole('dialog', { name: 'Delete group Thermostats grp?' });
  await expect(deletion).toContainText('It is used by 2 scheduled jobs ("Nightly A", "Nightly B"): they stay scheduled with no group to run on.');
  await deletion.getByRole('button', { name: 'Delete group' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Deleted group Thermostats grp.' })).toBeVisible();
  await expect(groupRow).toHaveCount(0);
});

test('changing the attribute keeps only an operator and value it supports', async ({ page, emulator }) => {
  await page.goto(`${emulator.url}/#/groups`);
  const filter = page.getByLabel('Filter (IoT Central query language)');
  await page.getByLabel('Attribute 1').selectOption('$id');
  await page.getByLabel('Operator 1').selectOption('startswith');
  await page.getByLabel('Value 1').fill('sim-1');
  await expect(filter).toHaveValue('SELECT * FROM devices WHERE startswith($id, "sim-1")');

  await page.getByLabel('Attribute 1').selectOption('$simulated');
  await expect(page.getByLabel('Operator 1')).toHaveValue('=');
  await expect(page.getByLabel('Operator 1').getByRole('option')).toHaveText(['is', 'is not']);
  await expect(page.getByLabel('Value 1')).toHaveValue('true');
  await expect(filter).toHaveValue('SELECT * FROM devices WHERE $simulated = true');

  await page.getByLabel('Attribute 1').selectOption('$displayName');
  await expect(page.getByLabel('Value 1')).toHaveValue('');
  await expect(filter).toHaveValue('SELECT * FROM devices');

  // A hand-written filter the builder cannot show turns the builder off rather than being overwritten by it.
  await filter.fill('SELECT * FROM devices WHERE $id = "a" AND $id = "b" OR $id = "c"');
  await expect(page.getByText('Custom filter: the builder cannot show it, so it is off until you reset it.')).toBeVisible();
  await expect(page.getByLabel('Attribute 1')).toBeDisabled();
  await page.getByRole('button', { name: 'Reset the builder' }).click();
  await expect(filter).toHaveValue('SELECT * FROM devices');
  await expect(page.getByLabel('Attribute 1')).toBeEnabled();
});
