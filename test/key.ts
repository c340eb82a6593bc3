/** The API key every suite uses: distinctive, so that a leak into any output is easy to find. */
export const API_KEY = 'ck_test_9Yq4Zr7Lm2Xb8Kd3';
