import Foundation

extension PublicSuffixList {
    /// Where Debian's `publicsuffix` package (and most Linux distributions) install the list.
    public static let defaultPaths = [
        "/usr/share/publicsuffix/public_suffix_list.dat",
        "/usr/share/publicsuffix/effective_tld_names.dat",
    ]

    /// The first of `paths` that reads as a list, else `builtIn`.
    public static func loadDefault(paths: [String] = defaultPaths, includePrivate: Bool = true) -> PublicSuffixList {
        for path in paths where FileManager.default.isReadableFile(atPath: path) {
            let url = URL(fileURLWithPath: path)
            if let list = try? PublicSuffixList(contentsOf: url, includePrivate: includePrivate) {
                return list
            }
        }
        if includePrivate { return builtIn }
        return PublicSuffixList(text: builtInText, includePrivate: false, source: .builtIn)
    }

    /// A small fallback for machines without a PSL file: the common TLDs, the multi-label
    /// suffixes that carry most traffic (`co.uk`, `com.au`, `com.br`…), a few wildcard and
    /// exception rules, and the hosting platforms where every customer is its own site
    /// (`github.io`, `blogspot.com`). Unlisted TLDs still work through the implicit `*` rule;
    /// what is missing are the rarer second-level registries, so install the real list
    /// (`apt install publicsuffix`) for exact answers. Every rule here is in the 2025 list.
    public static let builtIn = PublicSuffixList(text: builtInText, includePrivate: true, source: .builtIn)

    /// The fallback in PSL format, built from the word lists below (one rule per line).
    static var builtInText: String {
        func lines(_ words: String) -> String {
            words.split(whereSeparator: \.isWhitespace).joined(separator: "\n")
        }
        return """
            // Crumbs built-in fallback, a subset of https://publicsuffix.org/list/
            // ===BEGIN ICANN DOMAINS===
            \(lines(icannRules))
            // ===END ICANN DOMAINS===
            // ===BEGIN PRIVATE DOMAINS===
            \(lines(privateRules))
            // ===END PRIVATE DOMAINS===

            """
    }

    private static let icannRules = """
        com net org edu gov mil int arpa info biz name pro mobi asia tel travel aero coop museum jobs cat
        app dev io ai co me tv cc ws fm am gg ly to sh ac xyz online site shop store tech cloud blog
        top club live news page link click space website digital agency media design email
        ad ae af ag al ar at au az ba be bg bh br by bz ca ch cl cn cr cu cy cz de dk do dz ec ee eg
        es eu fi fr ge gh gr gt hk hn hr hu id ie il in iq ir is it jo jp ke kg kr kw kz la lb li lk
        lt lu lv ma md mn mt mx my ng ni nl no nz om pa pe ph pk pl pr ps pt py qa ro rs ru sa se sg
        si sk sn su sv th tn tr tw tz ua ug uk us uy uz ve vn zw
        中国 中國 рф
        co.uk org.uk ac.uk gov.uk me.uk ltd.uk plc.uk net.uk nhs.uk police.uk *.sch.uk
        com.au net.au org.au edu.au gov.au id.au asn.au
        co.nz org.nz net.nz govt.nz ac.nz school.nz geek.nz gen.nz
        co.jp ne.jp or.jp ac.jp ad.jp ed.jp go.jp gr.jp lg.jp tokyo.jp osaka.jp kyoto.jp
        *.kawasaki.jp !city.kawasaki.jp *.kobe.jp !city.kobe.jp
        com.cn net.cn org.cn gov.cn edu.cn ac.cn 公司.cn 网络.cn
        com.hk org.hk net.hk edu.hk gov.hk idv.hk
        co.in net.in org.in firm.in gen.in ind.in ac.in edu.in res.in gov.in nic.in
        co.za org.za gov.za ac.za net.za web.za edu.za
        com.mx org.mx gob.mx edu.mx net.mx
        com.ar net.ar org.ar gob.ar edu.ar
        com.br net.br org.br gov.br edu.br art.br blog.br *.nom.br
        com.tr net.tr org.tr gov.tr edu.tr gen.tr
        co.kr or.kr ne.kr go.kr ac.kr re.kr
        com.tw org.tw net.tw edu.tw gov.tw idv.tw
        com.sg net.sg org.sg edu.sg gov.sg
        com.my net.my org.my edu.my gov.my
        co.id or.id ac.id go.id web.id my.id
        co.il org.il ac.il gov.il net.il
        co.th in.th ac.th go.th or.th
        com.vn net.vn org.vn edu.vn gov.vn
        com.ph net.ph org.ph gov.ph edu.ph
        com.pk net.pk org.pk edu.pk gov.pk
        com.eg edu.eg gov.eg
        com.sa net.sa org.sa edu.sa gov.sa
        com.ng org.ng gov.ng edu.ng
        co.ke or.ke ac.ke go.ke
        com.co net.co org.co edu.co gov.co
        com.pe org.pe gob.pe edu.pe
        com.ve co.ve com.ec com.uy edu.uy
        co.at or.at ac.at gv.at
        com.pl net.pl org.pl edu.pl gov.pl
        com.es org.es nom.es gob.es edu.es
        com.pt org.pt gov.pt edu.pt
        com.gr edu.gr gov.gr org.gr
        com.ua net.ua org.ua edu.ua gov.ua in.ua kiev.ua
        com.ro org.ro com.hr com.cy ac.cy com.mt co.hu org.se gov.it
        co.cr com.do com.gt com.pa com.py com.bo com.sv com.ni com.hn
        co.ma ac.ma gov.ma com.tn com.dz com.lb com.jo com.kw com.qa com.om com.bh co.ae ac.ae gov.ae
        co.tz co.ug com.gh com.et co.zw co.bw com.lk com.la com.kz com.az com.ge com.by
        co.rs org.rs in.rs co.me
        ak.us k12.ak.us ca.us ny.us
        *.ck !www.ck *.bd *.np *.kh *.mm *.er *.fk *.jm *.pg
        """

    private static let privateRules = """
        github.io githubusercontent.com gitlab.io bitbucket.io readthedocs.io
        blogspot.com appspot.com herokuapp.com firebaseapp.com web.app cloudfunctions.net
        netlify.app vercel.app now.sh pages.dev workers.dev r2.dev deno.dev fly.dev onrender.com
        azurewebsites.net cloudapp.net azurestaticapps.net azureedge.net trafficmanager.net azure-mobile.net
        cloudfront.net s3.amazonaws.com elasticbeanstalk.com *.compute.amazonaws.com
        global.ssl.fastly.net ondigitalocean.app supabase.co repl.co ngrok.io ngrok-free.app
        myshopify.com wixsite.com translate.goog
        dyndns.org duckdns.org no-ip.org ddns.net hopto.org freeboxos.fr
        uk.com us.com eu.com de.com cn.com jpn.com co.com za.com gb.net eu.org co.ca co.no msk.ru spb.ru
        """
}
