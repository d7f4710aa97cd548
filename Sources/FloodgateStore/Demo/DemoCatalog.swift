import FloodgateCore

/// The demo shops a newcomer sees on first start: a Moscow florist and a Swiss farm-box shop.
enum DemoCatalog {
    struct Shop {
        let slug: String
        let name: String
        let tagline: String
        let currency: String
        let timeZone: String
        let orderPrefix: String
        let notifyEmail: String
        /// Russian shops send every order to the online cash register.
        var fiscalReceipts: Bool { self.currency == "RUB" }
        /// Delivery windows offered every day: (from, to, capacity).
        let windows: [(String, String, Int)]
        let products: [Item]
    }

    struct Item {
        let name: String
        let description: String
        let price: Int
        let available: Bool
        let composition: [CompositionLine]
    }

    static let shops: [Shop] = [petals, greenbox]

    static let petals = Shop(
        slug: "petals", name: "Petals", tagline: "Bouquets across Moscow, delivered the same day",
        currency: "RUB", timeZone: "Europe/Moscow", orderPrefix: "PE", notifyEmail: "orders@petals.example",
        windows: [("09:00", "12:00", 20), ("12:00", "15:00", 20), ("15:00", "18:00", 20), ("18:00", "21:00", 15)],
        products: bouquets.enumerated().map { index, b in
            Item(
                name: b.0, description: b.1, price: b.2 * 100, available: index % 11 != 10,
                composition: b.3.map { CompositionLine(item: $0.0, colour: $0.1, quantity: $0.2) }
            )
        }
    )

    static let greenbox = Shop(
        slug: "greenbox", name: "Greenbox", tagline: "Farm boxes from the Zurich Oberland, on our tours",
        currency: "CHF", timeZone: "Europe/Zurich", orderPrefix: "GB", notifyEmail: "orders@greenbox.example",
        windows: [("08:00", "12:00", 30), ("14:00", "18:00", 30)],
        products: boxes.enumerated().map { index, b in
            Item(
                name: b.0, description: b.1, price: b.2, available: index != 13,
                composition: b.3.map { CompositionLine(item: $0.0, colour: $0.1, quantity: $0.2) }
            )
        }
    )

    typealias Line = (String, String, Int)

    // (name, description, price in roubles, composition)
    static let bouquets: [(String, String, Int, [Line])] = [
        (
            "Valentine's 25 Red Roses", "Twenty-five long-stem red roses, hand-tied with eucalyptus.", 6_900,
            [("Red rose", "red", 25), ("Eucalyptus", "silver green", 5)]
        ),
        (
            "Spring Tulips", "A cheerful armful of fifteen tulips in spring colours.", 2_900,
            [("Tulip", "pink", 5), ("Tulip", "yellow", 5), ("Tulip", "white", 5)]
        ),
        (
            "Peony Cloud", "Seven fluffy peonies, the scent of early June.", 7_500,
            [("Peony", "blush pink", 7), ("Pittosporum", "green", 3)]
        ),
        (
            "White Elegance", "Roses, lisianthus and chrysanthemums in white and green.", 4_800,
            [("White rose", "white", 9), ("Lisianthus", "white", 5), ("Chrysanthemum", "green", 3)]
        ),
        (
            "March 8th Mimosa", "The classic for International Women's Day: mimosa with tulips.", 2_400,
            [("Mimosa", "yellow", 5), ("Tulip", "white", 7)]
        ),
        (
            "Sunny Sunflowers", "Five sunflowers with chamomile and greenery.", 3_200,
            [("Sunflower", "yellow", 5), ("Chamomile", "white", 9), ("Ruscus", "green", 5)]
        ),
        (
            "Lavender Field", "Lavender, purple statice and lilac spray roses.", 3_900,
            [("Lavender", "purple", 15), ("Statice", "purple", 5), ("Spray rose", "lilac", 5)]
        ),
        (
            "101 Roses", "A grand gesture: one hundred and one red roses.", 24_900,
            [("Red rose", "red", 101)]
        ),
        (
            "Pastel Dream", "Soft pink roses, carnations and hydrangea.", 5_200,
            [("Rose", "pale pink", 7), ("Carnation", "pink", 5), ("Hydrangea", "blue", 1)]
        ),
        (
            "Autumn Harvest", "Orange roses, hypericum berries and golden solidago.", 4_400,
            [("Rose", "orange", 9), ("Hypericum", "red", 5), ("Solidago", "yellow", 3)]
        ),
        (
            "Ranunculus Joy", "Eleven ranunculus in sunset shades.", 5_600,
            [("Ranunculus", "orange", 5), ("Ranunculus", "pink", 6)]
        ),
        (
            "Orchid in a Pot", "A white phalaenopsis orchid in a ceramic pot.", 4_900,
            [("Phalaenopsis", "white", 1)]
        ),
        (
            "Hydrangea Blue", "Three big blue hydrangea heads with eucalyptus.", 5_900,
            [("Hydrangea", "blue", 3), ("Eucalyptus", "silver green", 3)]
        ),
        (
            "Garden Mix", "A loose garden-style bouquet of seasonal flowers.", 3_600,
            [("Spray rose", "pink", 5), ("Alstroemeria", "peach", 5), ("Chamomile", "white", 5)]
        ),
        (
            "Classic Dozen", "Twelve red roses, the timeless way to say it.", 3_500,
            [("Red rose", "red", 12)]
        ),
        (
            "Yellow Roses", "Fifteen yellow roses for friendship and good news.", 4_200,
            [("Rose", "yellow", 15)]
        ),
        (
            "Iris Blue", "Blue irises with white freesia.", 3_300,
            [("Iris", "blue", 9), ("Freesia", "white", 5)]
        ),
        (
            "Gerbera Smile", "Nine bright gerberas, impossible not to smile.", 2_700,
            [("Gerbera", "orange", 3), ("Gerbera", "pink", 3), ("Gerbera", "yellow", 3)]
        ),
        (
            "Lily Grace", "Five oriental lilies with a rich scent.", 4_100,
            [("Lily", "white", 5), ("Aspidistra leaf", "green", 3)]
        ),
        (
            "Chrysanthemum Sprays", "Long-lasting spray chrysanthemums in a mix of colours.", 2_500,
            [("Chrysanthemum", "white", 3), ("Chrysanthemum", "yellow", 3), ("Chrysanthemum", "purple", 3)]
        ),
        (
            "Bride's Bouquet", "A round bridal bouquet of white roses and spray roses.", 6_500,
            [("White rose", "white", 11), ("Spray rose", "cream", 7)]
        ),
        (
            "Tulip Rainbow", "Thirty-five tulips in every colour of spring.", 6_200,
            [
                ("Tulip", "red", 7), ("Tulip", "yellow", 7), ("Tulip", "pink", 7), ("Tulip", "purple", 7),
                ("Tulip", "white", 7),
            ]
        ),
        (
            "Hat Box of Roses", "Nineteen roses arranged in a round hat box.", 7_900,
            [("Rose", "pink", 19)]
        ),
        (
            "Carnation Bunch", "Fifteen carnations, bright and lasting.", 2_200,
            [("Carnation", "red", 15)]
        ),
        (
            "Freesia Fresh", "Fragrant freesias in white and yellow.", 3_100,
            [("Freesia", "white", 7), ("Freesia", "yellow", 7)]
        ),
        (
            "Eustoma Tender", "Lisianthus in lilac and white, soft as silk.", 3_800,
            [("Lisianthus", "lilac", 7), ("Lisianthus", "white", 5)]
        ),
        (
            "Alstroemeria Sunset", "Long-lasting alstroemeria in warm colours.", 2_600,
            [("Alstroemeria", "orange", 5), ("Alstroemeria", "red", 5)]
        ),
        (
            "Cotton and Roses", "Cream roses with cotton bolls and dried grasses.", 5_400,
            [("Rose", "cream", 9), ("Cotton", "white", 5), ("Pampas grass", "beige", 3)]
        ),
        (
            "Mother's Day Mix", "Pink roses, peony roses and carnations for mum.", 4_600,
            [("Rose", "pink", 7), ("Peony rose", "pink", 5), ("Carnation", "pink", 5)]
        ),
        (
            "Green Calm", "Green chrysanthemums, hydrangea and ferns.", 3_400,
            [("Chrysanthemum", "green", 5), ("Hydrangea", "green", 1), ("Fern", "green", 5)]
        ),
    ]

    // (name, description, price in rappen, composition)
    static let boxes: [(String, String, Int, [Line])] = [
        (
            "Small Vegetable Box", "Seasonal vegetables for one or two people.", 3_200,
            [("Carrots", "orange", 1), ("Potatoes", "brown", 1), ("Leeks", "green", 2), ("Lettuce", "green", 1)]
        ),
        (
            "Family Vegetable Box", "Seasonal vegetables for a family of four.", 5_400,
            [
                ("Carrots", "orange", 2), ("Potatoes", "brown", 2), ("Onions", "yellow", 1), ("Cabbage", "green", 1),
                ("Lettuce", "green", 2),
            ]
        ),
        (
            "Fruit Box", "Apples, pears and what the orchards give this week.", 3_800,
            [("Apples", "red", 2), ("Pears", "yellow", 1), ("Plums", "purple", 1)]
        ),
        (
            "Mixed Box", "Half fruit, half vegetables.", 4_600,
            [("Apples", "red", 1), ("Carrots", "orange", 1), ("Tomatoes", "red", 1), ("Salad", "green", 1)]
        ),
        (
            "Cheese Selection", "Four Swiss cheeses from the Oberland dairies.", 4_900,
            [
                ("Gruyère", "yellow", 1), ("Appenzeller", "yellow", 1), ("Tilsiter", "cream", 1),
                ("Vacherin", "cream", 1),
            ]
        ),
        (
            "Breakfast Box", "Bread, butter, jam, eggs and milk.", 3_900,
            [
                ("Farm bread", "brown", 1), ("Butter", "yellow", 1), ("Jam", "red", 1), ("Eggs", "white", 6),
                ("Milk", "white", 1),
            ]
        ),
        (
            "Egg Box", "Twelve free-range eggs.", 950,
            [("Eggs", "brown", 12)]
        ),
        (
            "Salad Box", "Lettuce, rocket, radishes and herbs.", 2_400,
            [("Lettuce", "green", 2), ("Rocket", "green", 1), ("Radishes", "red", 1), ("Herbs", "green", 1)]
        ),
        (
            "Soup Box", "Everything for a big pot of soup.", 2_800,
            [("Leeks", "green", 1), ("Celeriac", "white", 1), ("Carrots", "orange", 1), ("Potatoes", "brown", 1)]
        ),
        (
            "Apple Box", "Five kilos of Gala and Boskoop apples.", 2_500,
            [("Gala apples", "red", 1), ("Boskoop apples", "green", 1)]
        ),
        (
            "Meat Box", "Beef and pork from the farm, vacuum-packed.", 8_900,
            [("Beef", "red", 1), ("Pork", "pink", 1), ("Sausages", "brown", 4)]
        ),
        (
            "Herb Box", "Potted herbs for the kitchen window.", 2_200,
            [("Basil", "green", 1), ("Parsley", "green", 1), ("Chives", "green", 1), ("Thyme", "green", 1)]
        ),
        (
            "Berry Box", "Strawberries, raspberries and blueberries.", 3_600,
            [("Strawberries", "red", 1), ("Raspberries", "red", 1), ("Blueberries", "blue", 1)]
        ),
        (
            "Asparagus Box", "White and green asparagus in season.", 4_200,
            [("White asparagus", "white", 1), ("Green asparagus", "green", 1)]
        ),
        (
            "Raclette Box", "Raclette cheese, potatoes and pickles for four.", 5_600,
            [("Raclette cheese", "yellow", 1), ("Potatoes", "brown", 1), ("Pickles", "green", 1)]
        ),
    ]
}
