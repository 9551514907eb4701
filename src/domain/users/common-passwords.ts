/**
 * Passwords of 10+ characters that top the public leaked-password frequency lists, plus the
 * product's own obvious words. Compared lower-cased after removing non-letters-digits.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '1234567890', '0123456789', '0987654321', '9876543210', '12345678910', '123456789a',
  '1234567890a', 'a123456789', '1q2w3e4r5t', '1q2w3e4r5t6y', 'q1w2e3r4t5', 'qwertyuiop',
  'qwertyuiop123', 'asdfghjkl1', 'asdfghjkl123', 'zxcvbnm123', '1qaz2wsx3edc', 'qazwsxedc123',
  'qazwsxedcrfv', '1qazxsw23edc', 'password1234', 'password123', 'password12', 'password01',
  'password1', 'passw0rd123', 'p4ssw0rd123', 'mypassword', 'mypassword1', 'newpassword',
  'newpassword1', 'changeme123', 'changeme12', 'letmein123', 'letmein1234', 'welcome123',
  'welcome1234', 'welcome12', 'iloveyou12', 'iloveyou123', 'iloveyou1234', 'sunshine123',
  'princess123', 'football123', 'baseball123', 'basketball', 'basketball1', 'superman123',
  'batman12345', 'starwars123', 'pokemon1234', 'michael123', 'jennifer123', 'charlie123',
  'computer123', 'internet123', 'trustno1234', 'administrator', 'administrator1', 'admin12345',
  'admin123456', 'adminadmin', 'adminadmin1', 'rootroot12', 'qwerty123456', 'qwerty12345',
  'qwertyqwerty', 'abcdefghij', 'abcdefghijk', 'abc1234567', 'abcd123456', 'aaaaaaaaaa',
  '1111111111', '0000000000', '2222222222', '1212121212', '1122334455', '1234512345',
  '1234554321', '12341234', '123123123123', '123qweasdzxc', 'zaq12wsx', 'zaq1zaq1zaq1',
  'dragon12345', 'monkey12345', 'shadow12345', 'master12345', 'football1', 'liverpool1',
  'chelsea123', 'arsenal123', 'manchester', 'blink18212', 'hello12345', 'helloworld',
  'helloworld1', 'whatever12', 'freedom123', 'samsung123', 'google1234', 'facebook123',
  'india12345', 'india@123', 'india123456', 'bharat1234', 'krishna123', 'ganesh1234',
  'sairam1234', 'omsairam123', 'jaishriram', 'jaihind123', 'hanuman123', 'mahadev123',
  'tracetrack', 'tracetrack1', 'tracetrack123', 'traitortrack', 'warehouse1', 'warehouse123',
  'dispatcher', 'dispatcher1', 'biller12345', 'mustard123', 'passwordpassword',
]);

/** The comparable form: lower-case letters and digits only. */
export function commonKey(password: string): string {
  return password.toLowerCase().replace(/[^a-z0-9]/g, '');
}
