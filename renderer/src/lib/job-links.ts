/** Hash links of the job screens; ids are encoded so that any IoT Central id survives the round trip. */
export const jobLinks = {
  list: '#/jobs',
  create: '#/jobs/new',
  copy: (id: string) => `#/jobs/copy/${encodeURIComponent(id)}`,
  details: (id: string) => `#/jobs/details/${encodeURIComponent(id)}`,
  awsDetails: (id: string) => `#/jobs/aws/${encodeURIComponent(id)}`,
};
