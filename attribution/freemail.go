package attribution

import "strings"

// freeMailDomains are consumer mailbox providers: an address there says
// nothing about the company behind it. The list covers the large
// international and regional providers; hosts extend or replace it with
// Config.FreeMail.
var freeMailDomains = map[string]bool{}

func init() {
	for _, d := range strings.Fields(`
		gmail.com googlemail.com
		outlook.com outlook.fr outlook.de outlook.es outlook.it hotmail.com hotmail.co.uk hotmail.fr
		hotmail.de hotmail.es hotmail.it live.com live.co.uk live.fr live.de live.it msn.com passport.com
		yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.es yahoo.it yahoo.ca yahoo.com.br yahoo.co.jp
		yahoo.co.in ymail.com rocketmail.com
		aol.com aim.com
		icloud.com me.com mac.com
		proton.me protonmail.com protonmail.ch pm.me tutanota.com tutanota.de tuta.io
		gmx.com gmx.net gmx.de gmx.at gmx.ch gmx.fr mail.com email.com web.de
		zoho.com zohomail.com yandex.com yandex.ru ya.ru mail.ru bk.ru inbox.ru list.ru rambler.ru
		fastmail.com fastmail.fm hushmail.com hey.com
		orange.fr wanadoo.fr free.fr sfr.fr laposte.net neuf.fr bbox.fr
		libero.it virgilio.it tiscali.it alice.it
		t-online.de freenet.de arcor.de
		btinternet.com sky.com virginmedia.com ntlworld.com talktalk.net
		comcast.net verizon.net att.net sbcglobal.net bellsouth.net cox.net charter.net
		shaw.ca rogers.com sympatico.ca
		bigpond.com optusnet.com.au
		seznam.cz centrum.cz wp.pl o2.pl onet.pl interia.pl
		telenet.be skynet.be ziggo.nl kpnmail.nl hetnet.nl home.nl planet.nl
		terra.com.br uol.com.br bol.com.br
		qq.com 163.com 126.com sina.com sohu.com yeah.net
		naver.com daum.net hanmail.net
		rediffmail.com
		mailinator.com guerrillamail.com 10minutemail.com temp-mail.org yopmail.com
	`) {
		freeMailDomains[d] = true
	}
}

// IsFreeMail reports whether domain (any case) belongs to the bundled list
// of free-mail providers.
func IsFreeMail(domain string) bool {
	return freeMailDomains[strings.ToLower(strings.TrimSuffix(domain, "."))]
}

// emailDomain returns the lower-cased domain of a bare address, or "".
func emailDomain(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return strings.ToLower(strings.TrimSuffix(addr[i+1:], "."))
}

// canonicalEmail folds the spellings of one mailbox into one string, so a
// self-referral through "Ann+ref@Example.com" is caught: it lower-cases the
// address, drops a "+tag", and for Gmail drops the dots Gmail ignores.
func canonicalEmail(addr string) string {
	addr = strings.ToLower(strings.TrimSpace(addr))
	local, domain, ok := strings.Cut(addr, "@")
	if !ok {
		return addr
	}
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	if domain == "gmail.com" {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain
}
