// A scenario for the tests of several connections between the same two endpoints.

/** One client, two connections in a row to one server (the first ends with an abort). */
export const TWO_CONNECTIONS = `scenario "One client, two connections in a row"
endpoint client 10.0.0.1:49152 isn=100
endpoint server 10.0.0.2:80 isn=300
link client <-> server delay=10ms

@0      server listen
@0      client connect server
@100ms  client send 5000
@400ms  client abort
@1s     client connect server
@1.1s   client send 3000
@1.5s   expect server received 8000
`;
