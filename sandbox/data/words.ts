/** Indonesian-flavoured word lists for the demo data. */

export const FIRST_NAMES = [
	'Budi', 'Siti', 'Agus', 'Dewi', 'Rina', 'Andi', 'Putri', 'Eko', 'Wahyu', 'Sri', 'Joko', 'Ayu', 'Rudi', 'Indah',
	'Fajar', 'Nur', 'Bayu', 'Fitri', 'Hendra', 'Lestari', 'Dimas', 'Ratna', 'Yoga', 'Maya', 'Arif', 'Wulan',
	'Taufik', 'Intan', 'Rizky', 'Anisa', 'Bambang', 'Kartika', 'Gilang', 'Sari', 'Irfan', 'Mega', 'Hadi', 'Citra',
	'Teguh', 'Nadia', 'Reza', 'Yuni', 'Ilham', 'Dian', 'Galih', 'Tari', 'Made', 'Komang', 'Ketut', 'Ucok',
];

export const LAST_NAMES = [
	'Santoso', 'Wijaya', 'Saputra', 'Pratama', 'Hidayat', 'Nugroho', 'Kurniawan', 'Setiawan', 'Rahmawati',
	'Susanto', 'Permana', 'Gunawan', 'Siregar', 'Nasution', 'Harahap', 'Simanjuntak', 'Sihombing', 'Wibowo',
	'Purnomo', 'Utomo', 'Hakim', 'Firmansyah', 'Maulana', 'Syahputra', 'Handayani', 'Puspita', 'Anggraini',
	'Suryadi', 'Halim', 'Tanjung', 'Lubis', 'Pohan', 'Sembiring', 'Ginting', 'Wardhana',
];

export const CITIES = [
	'Jakarta Selatan', 'Bandung', 'Surabaya', 'Yogyakarta', 'Semarang', 'Medan', 'Makassar', 'Denpasar', 'Malang',
	'Surakarta', 'Bogor', 'Depok', 'Palembang', 'Balikpapan', 'Bekasi', 'Tangerang', 'Padang', 'Pontianak',
];

export const STREETS = [
	'Jl. Merdeka', 'Jl. Sudirman', 'Jl. Diponegoro', 'Jl. Gajah Mada', 'Jl. Ahmad Yani', 'Jl. Pahlawan',
	'Jl. Kartini', 'Jl. Veteran', 'Jl. Malioboro', 'Jl. Asia Afrika', 'Jl. Cendrawasih', 'Jl. Melati',
];

/** [name, price in rupiah] */
export const PRODUCTS: ReadonlyArray<readonly [string, number]> = [
	['Batik Tulis Mega Mendung', 450000],
	['Kemeja Batik Parang', 275000],
	['Kopi Gayo 250g', 85000],
	['Kopi Toraja 250g', 95000],
	['Keripik Tempe 250g', 25000],
	['Sambal Roa 150ml', 45000],
	['Kain Tenun Ikat', 650000],
	['Teh Tarik Sachet isi 10', 35000],
	['Madu Hutan 500ml', 120000],
	['Rendang Kemasan 250g', 75000],
	['Dodol Garut', 30000],
	['Bakpia Pathok isi 20', 55000],
	['Tas Anyaman Rotan', 185000],
	['Sandal Kulit Garut', 150000],
	['Minyak Kayu Putih 60ml', 28000],
	['Gula Aren 1kg', 40000],
	['Abon Sapi 100g', 50000],
	['Sarung Tenun Samarinda', 225000],
	['Blangkon Jogja', 95000],
	['Wedang Uwuh 10 sachet', 30000],
	['Kerupuk Udang 500g', 60000],
	['Lapis Legit Original', 320000],
	['Pempek Kapal Selam isi 5', 90000],
	['Songket Palembang', 1250000],
];

export const DIVISIONS = ['Sales', 'Customer Service', 'Marketing', 'Finance', 'Gudang'];

export const LABELS: ReadonlyArray<readonly [string, string]> = [
	['VIP', '#f59e0b'],
	['Reseller', '#3b82f6'],
	['Komplain', '#ef4444'],
	['Pelanggan Baru', '#10b981'],
	['Follow Up', '#8b5cf6'],
];

export const PIPELINES = ['Prospek', 'Negosiasi', 'Closing', 'After Sales'];

export const CONTACT_LINES = [
	'Halo kak, {product} masih ready?',
	'Berapa ongkir ke {city} ya kak?',
	'Bisa COD nggak kak?',
	'Saya mau pesan {qty} ya kak',
	'Sudah saya transfer kak, mohon dicek ya',
	'Kapan dikirim ya kak?',
	'Ada warna lain nggak kak?',
	'Terima kasih kak 🙏',
	'Pesanan saya belum sampai nih kak',
	'Boleh minta nomor resinya?',
	'Kak, {product} bisa grosir?',
	'Permisi, toko buka jam berapa?',
];

export const AGENT_LINES = [
	'Halo kak {name}, terima kasih sudah menghubungi kami 😊',
	'Ready kak, mau berapa pcs?',
	'Ongkir ke {city} Rp{ongkir} ya kak',
	'Baik kak, pesanan sudah kami proses',
	'Ini nomor resinya ya kak: JNE{resi}',
	'Sama-sama kak, ditunggu order berikutnya!',
	'Mohon ditunggu sebentar ya kak, kami cek dulu',
	'Pembayarannya sudah masuk kak, terima kasih',
];

export const AI_LINES = [
	'Hai kak! Saya asisten virtual {shop}. Ada yang bisa dibantu?',
	'Stok {product} saat ini tersedia kak.',
	'Jam operasional kami Senin–Sabtu 08.00–17.00 WIB.',
	'Untuk pembayaran bisa via transfer BCA, Mandiri, atau QRIS ya kak.',
	'Estimasi pengiriman ke {city} 2–4 hari kerja kak.',
];

/** [name, category, body]; placeholders {{n}} are counted by /templates/send. */
export const TEMPLATES: ReadonlyArray<readonly [string, string, string]> = [
	['order_shipped', 'UTILITY', 'Halo {{1}}, pesanan {{2}} sudah kami kirim. Terima kasih sudah berbelanja!'],
	['promo_flash_sale', 'MARKETING', 'Halo {{1}}, ada promo {{2}} diskon {{3}} khusus hari ini!'],
	['otp_login', 'AUTHENTICATION', 'Kode OTP Anda adalah {{1}}. Jangan berikan kode ini kepada siapa pun.'],
	['thank_you', 'MARKETING', 'Terima kasih sudah berbelanja di toko kami!'],
	['payment_reminder', 'UTILITY', 'Halo {{1}}, pembayaran untuk invoice {{2}} sebesar {{3}} belum kami terima.'],
	['cart_reminder', 'MARKETING', 'Hai {{1}}, keranjang belanja Anda masih menunggu. Selesaikan pesanan sekarang!'],
];

export const INBOXES: ReadonlyArray<readonly [string, 'whatsapp' | 'instagram']> = [
	['Toko Sekar WhatsApp', 'whatsapp'],
	['CS Kopi Nusantara', 'whatsapp'],
	['Sales Official', 'whatsapp'],
	['Instagram Sekar', 'instagram'],
];

export const SHOP_NAME = 'Toko Sekar';
